namespace MS2GAN.Model;

/// <summary>A training configuration that cannot be used; the message says which file or field and why.</summary>
/// <param name="message">What is wrong, naming the file, the configuration or the field.</param>
/// <param name="errors">The problems by the camelCase name of the field they are about (for a ValidationProblem); empty when none is named.</param>
public sealed class ConfigException(string message, IReadOnlyDictionary<string, string[]>? errors = null) : Exception(message)
{
    /// <summary>The problems by field name (camelCase, as in the configuration's JSON).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();
}
