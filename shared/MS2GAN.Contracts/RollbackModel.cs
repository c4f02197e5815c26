namespace MS2GAN.Contracts;

/// <summary>
/// Command to the trainer: make the previous model version active again (its kept index is brought up to date
/// with the items changed since, then the alias is swapped back). Runs in turn with retrains, never beside one.
/// </summary>
/// <param name="RequestedBy">Who asked.</param>
/// <param name="RequestId">Identifies the command in the events and the registry's outcomes.</param>
public sealed record RollbackModel(string RequestedBy, Guid? RequestId = null);
