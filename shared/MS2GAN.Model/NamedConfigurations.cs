namespace MS2GAN.Model;

/// <summary>
/// The named training configurations that ship inside this library (Configurations/NAME.json, embedded): each is a
/// set of fields put over the project's defaults (<see cref="Ms2GanConfig"/>'s own values), and a retrain or a
/// `train` may put its own overrides over a named one. "default" is the defaults themselves.
/// </summary>
public static class NamedConfigurations
{
    /// <summary>The name of the project's defaults.</summary>
    public const string Default = "default";

    private const string Prefix = "MS2GAN.Model.Configurations.";
    private const string Suffix = ".json";

    /// <summary>Every name that can be asked for, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(NamedConfigurations).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(Suffix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^Suffix.Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The configuration of that name.</summary>
    /// <exception cref="ConfigException">No configuration has that name; the message names it and the known ones (field <c>config</c>).</exception>
    public static Ms2GanConfig Get(string name)
    {
        using var stream = Names.Contains(name, StringComparer.Ordinal)
            ? typeof(NamedConfigurations).Assembly.GetManifestResourceStream(Prefix + name + Suffix)
            : null;
        if (stream is null)
        {
            var message = $"unknown configuration '{name}' (known: {string.Join(", ", Names)})";
            throw new ConfigException(message, new Dictionary<string, string[]> { ["config"] = [message] });
        }
        using var reader = new StreamReader(stream);
        return new Ms2GanConfig().Overlay(reader.ReadToEnd(), $"configuration '{name}'");
    }

    /// <summary>
    /// What a training run asks for: the named configuration (the defaults when <paramref name="name"/> is null) with the
    /// fields of <paramref name="overridesJson"/> (a JSON object, camelCase; none when null) put over it, checked as a whole.
    /// </summary>
    /// <exception cref="ConfigException">An unknown name, overrides that are not an object or name an unknown field, or a value
    /// that is not usable; <see cref="ConfigException.Errors"/> names each field.</exception>
    public static Ms2GanConfig Compose(string? name, string? overridesJson = null)
    {
        var named = Get(name ?? Default);
        return overridesJson is null ? named : named.Overlay(overridesJson);
    }
}
