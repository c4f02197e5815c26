namespace MS2GAN.Trainer;

/// <summary>A retrain or rollback refused with a reason a person can act on; nothing was changed.</summary>
/// <param name="message">The reason, in words.</param>
/// <param name="field">The field of the request the reason is about (camelCase, as in the admin API's body), or null.</param>
public sealed class LifecycleRejection(string message, string? field = null) : Exception(message)
{
    /// <summary>The field of the request the reason is about (a ValidationProblem's key), or null.</summary>
    public string? Field { get; } = field;
}
