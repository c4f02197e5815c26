using System.Text.Json;
using System.Text.Json.Serialization;

namespace MS2GAN.Model.Registry;

/// <summary>Where a model version stands in the registry (written as camelCase text in the registry file and the admin API).</summary>
[JsonConverter(typeof(ModelStageJsonConverter))]
public enum ModelStage
{
    /// <summary>Trained and evaluated; the quality gate has not decided yet.</summary>
    Candidate,

    /// <summary>Failed the quality gate (the reason is recorded); never served.</summary>
    Rejected,

    /// <summary>Passed the gate; its index is being built. Encoders write to it as well as to the active index.</summary>
    Promoting,

    /// <summary>Served: the alias points at its index and new items are encoded with it.</summary>
    Active,

    /// <summary>The version served before the active one; its index is kept for rollback.</summary>
    Previous,

    /// <summary>Older than the kept versions: its index (and, inside the registry, its folder) was deleted.</summary>
    Retired,
}

/// <summary>Writes <see cref="ModelStage"/> as camelCase text ("active", "previous", ...).</summary>
public sealed class ModelStageJsonConverter() : JsonStringEnumConverter<ModelStage>(JsonNamingPolicy.CamelCase);
