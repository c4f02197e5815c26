using MS2GAN.Model;

namespace MS2GAN.Trainer;

/// <summary>
/// The training configuration a retrain asks for: the project's defaults (or a named configuration) with the command's
/// overrides put over it; never what the active model happened to be trained with.
/// </summary>
public static class RetrainOverrides
{
    /// <summary>The configuration a retrain starts from: the project's defaults, or the named one.</summary>
    /// <exception cref="LifecycleRejection">No configuration has that name.</exception>
    public static Ms2GanConfig Base(string? name) => name is null
        ? new Ms2GanConfig()
        : throw new LifecycleRejection($"invalid overrides: there is no configuration named '{name}'");

    /// <summary>
    /// <paramref name="current"/> (a <see cref="Base"/>) with the fields of <paramref name="configJson"/> (a JSON object) and
    /// then <paramref name="epochs"/> put over it, checked as a whole.
    /// </summary>
    /// <exception cref="LifecycleRejection">The overrides do not parse or give an invalid configuration; the message says why.</exception>
    public static Ms2GanConfig Apply(Ms2GanConfig current, string? configJson, int? epochs)
    {
        Ms2GanConfig config;
        try
        {
            config = configJson is null ? current : current.Overlay(configJson);
        }
        catch (ConfigException ex)
        {
            throw new LifecycleRejection($"invalid overrides: {ex.Message}");
        }
        if (epochs is { } given)
        {
            config = config with { Epochs = given };
        }
        var problems = config.Validate();
        return problems.Count == 0 ? config : throw new LifecycleRejection($"invalid overrides: {string.Join("; ", problems)}");
    }
}
