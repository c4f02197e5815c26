namespace MS2GAN.TestSupport;

/// <summary>
/// Marks a test class whose <see cref="StoreFactAttribute"/> and <see cref="StoreTheoryAttribute"/> tests (usually
/// inherited from an abstract suite) need an environment variable, e.g. the URL of a server; without it they are
/// reported as skipped with "needs NAME: why".
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NeedsEnvironmentVariableAttribute(string name, string why) : Attribute
{
    /// <summary>The variable, e.g. ELASTICSEARCH_URL.</summary>
    public string Name { get; } = name;

    /// <summary>What it is for, shown in the skip reason.</summary>
    public string Why { get; } = why;

    /// <summary>The variable's value, or null when it is unset or empty.</summary>
    public static string? Value(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
