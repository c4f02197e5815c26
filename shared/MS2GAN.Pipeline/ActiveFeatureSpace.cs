using Microsoft.Extensions.Options;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Registry;

namespace MS2GAN.Pipeline;

/// <summary>
/// The feature space of the model that is active now, read from the model registry (or, before the registry has an
/// active model, from Pipeline:ModelDirectory) without loading the model: what the ingest service checks given features
/// against. Read again when the registry changes, so a promotion is seen at once.
/// </summary>
public sealed class ActiveFeatureSpace(ModelRegistry registry, IOptions<PipelineOptions> options)
{
    private Entry? _cache;

    /// <summary>The active model's feature space; null while no model is active.</summary>
    public FeatureSpace? Current
    {
        get
        {
            var active = registry.Read().Active;
            // Nothing active and no seed model yet: looked at again on every call, as a seed may appear any time.
            if (_cache is { } cached && cached.Version == active && (active is not null || cached.Space is not null))
            {
                return cached.Space;
            }
            var directory = active is not null ? registry.DirectoryOf(active) : options.Value.ModelDirectory;
            var space = string.IsNullOrWhiteSpace(directory) || !File.Exists(Path.Combine(directory, ModelManifest.FileName))
                ? null
                : ModelFolder.Read(directory).FeatureSpace;
            _cache = new Entry(active, space);
            return space;
        }
    }

    private sealed record Entry(string? Version, FeatureSpace? Space);
}
