namespace MS2GAN.Contracts;

/// <summary>A retrain command ended without a new active model; the active model is untouched.</summary>
/// <param name="ModelVersion">The candidate's version, when one was trained (null when the command was refused before training).</param>
/// <param name="Reason">Why, in words: invalid overrides, too few labelled items, a single class, worse than the active model, ...</param>
/// <param name="RequestedBy">Who asked.</param>
/// <param name="RequestId">The command's request id.</param>
public sealed record ModelRejected(string? ModelVersion, string Reason, string RequestedBy, Guid? RequestId);
