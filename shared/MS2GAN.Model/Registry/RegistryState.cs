namespace MS2GAN.Model.Registry;

/// <summary>The registry's content: every version, which one is active, and the reindex in progress.</summary>
public sealed record RegistryState
{
    /// <summary>The empty registry.</summary>
    public static RegistryState Empty { get; } = new();

    /// <summary>The served version; null before a model is registered.</summary>
    public string? Active { get; init; }

    /// <summary>The reindex in progress, or null.</summary>
    public ReindexState? Reindex { get; init; }

    /// <summary>Every version, oldest first.</summary>
    public IReadOnlyList<RegisteredModel> Models { get; init; } = [];

    /// <summary>How the last retrain or rollback ended.</summary>
    public IReadOnlyList<LifecycleOutcome> Outcomes { get; init; } = [];

    /// <summary>The version with this id, or null.</summary>
    public RegisteredModel? Find(string version) => Models.FirstOrDefault(m => m.Version == version);

    /// <summary>The version kept for rollback, or null.</summary>
    public RegisteredModel? Previous => Models.Where(m => m.Stage == ModelStage.Previous).MaxBy(m => m.DeactivatedAt);

    /// <summary>This state with <paramref name="model"/> added, or replacing the entry of the same version.</summary>
    public RegistryState With(RegisteredModel model) => this with
    {
        Models = Find(model.Version) is null ? [.. Models, model] : [.. Models.Select(m => m.Version == model.Version ? model : m)],
    };

    /// <summary>This state with one more outcome (the newest 20 are kept).</summary>
    public RegistryState With(LifecycleOutcome outcome) => this with { Outcomes = [.. Outcomes.TakeLast(19), outcome] };
}
