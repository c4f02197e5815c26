using MS2GAN.Model;

namespace MS2GAN.Trainer;

/// <summary>
/// The training configuration a retrain asks for: the project's defaults (or a named configuration) with the command's
/// overrides put over it; never what the active model happened to be trained with.
/// </summary>
public static class RetrainOverrides
{
    /// <summary>
    /// The named configuration (<paramref name="name"/>; the defaults when null) with the fields of
    /// <paramref name="configJson"/> (a JSON object) and then <paramref name="epochs"/> put over it, checked as a whole.
    /// </summary>
    /// <exception cref="LifecycleRejection">
    /// An unknown name (field <c>configuration</c>), overrides that do not parse or do not validate (field <c>config</c>),
    /// or epochs that are not usable (field <c>epochs</c>); the message says why.
    /// </exception>
    public static Ms2GanConfig Apply(string? name, string? configJson, int? epochs)
    {
        Ms2GanConfig config;
        try
        {
            config = NamedConfigurations.Compose(name);
        }
        catch (ConfigException ex)
        {
            throw new LifecycleRejection(ex.Message, "configuration");
        }
        try
        {
            config = configJson is null ? config : config.Overlay(configJson);
        }
        catch (ConfigException ex)
        {
            throw new LifecycleRejection($"invalid overrides: {ex.Message}", "config");
        }
        if (epochs is { } given)
        {
            config = config with { Epochs = given };
            var problems = config.Problems();
            if (problems.Count > 0)
            {
                var field = problems.ContainsKey("epochs") ? "epochs" : "config";
                throw new LifecycleRejection($"invalid overrides: {string.Join("; ", problems.SelectMany(p => p.Value))}", field);
            }
        }
        return config;
    }

    /// <summary>The gate's tolerance for a retrain: <paramref name="given"/> with the command, else <paramref name="configured"/>.</summary>
    /// <exception cref="LifecycleRejection">It is not between 0 and 1 (field <c>tolerance</c>).</exception>
    public static double Tolerance(double? given, double configured)
    {
        var tolerance = given ?? configured;
        return tolerance is >= 0 and <= 1
            ? tolerance
            : throw new LifecycleRejection($"invalid overrides: tolerance must be between 0 and 1 (got {tolerance})", "tolerance");
    }
}
