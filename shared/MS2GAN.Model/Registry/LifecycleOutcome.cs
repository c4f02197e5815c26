namespace MS2GAN.Model.Registry;

/// <summary>How the last lifecycle operation (retrain or rollback) ended, for clients waiting on it.</summary>
/// <param name="Kind">"retrain" or "rollback".</param>
/// <param name="RequestId">The command's request id, when it had one.</param>
/// <param name="Result">"promoted", "rejected", "rolled-back" or "failed".</param>
/// <param name="Version">The version concerned (the candidate, or the version rolled back to), when there is one.</param>
/// <param name="Reason">Why, for "rejected" and "failed".</param>
/// <param name="At">When it ended.</param>
public sealed record LifecycleOutcome(string Kind, Guid? RequestId, string Result, string? Version, string? Reason, DateTimeOffset At);
