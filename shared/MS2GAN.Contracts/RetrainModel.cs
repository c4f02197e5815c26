namespace MS2GAN.Contracts;

/// <summary>
/// Command to the trainer: train a new model on the current items, evaluate it and promote it if it
/// passes the quality gate. Sent by ops on demand and by the scheduled job.
/// </summary>
/// <param name="RequestedBy">Who asked (a user name, "scheduler", ...), for the log and the model manifest.</param>
/// <param name="Epochs">Overrides the configured number of epochs; null keeps the configuration's.</param>
/// <param name="ConfigJson">
/// A training configuration (JSON, camelCase fields, as for <c>ms2gan train --config</c>) that overrides
/// the configured one; null keeps the configuration's.
/// </param>
public sealed record RetrainModel(string RequestedBy, int? Epochs = null, string? ConfigJson = null);
