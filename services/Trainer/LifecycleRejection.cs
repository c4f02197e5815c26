namespace MS2GAN.Trainer;

/// <summary>A retrain or rollback refused with a reason a person can act on; nothing was changed.</summary>
public sealed class LifecycleRejection(string message) : Exception(message);
