using MS2GAN.Model;

namespace MS2GAN.Trainer;

/// <summary>The training configuration a retrain asks for: the active model's, with the command's overrides put over it.</summary>
public static class RetrainOverrides
{
    /// <summary>
    /// <paramref name="current"/> with the fields of <paramref name="configJson"/> (a JSON object) and then
    /// <paramref name="epochs"/> put over it, checked as a whole.
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
