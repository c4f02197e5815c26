using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Features.Onnx;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Registry;

namespace MS2GAN.Model.Inference;

/// <summary>
/// The model versions a service encodes with, loaded from the registry on first use and kept while the registry still
/// serves them. Search encodes a query with the version of the index behind the alias (so the encoder switches together
/// with the alias); the encoders write every item with the active version and, while a reindex runs, with its target
/// version too. A version the registry no longer serves (retired, rejected, or gone) is released with its ONNX sessions:
/// dropped from the catalog at once, disposed after <see cref="ReleaseDelay"/>, so a call that took it just before keeps
/// a working model to finish with.
/// </summary>
public sealed class ModelCatalog : IDisposable
{
    /// <summary>The alias searches read through; it points at the index of the active version.</summary>
    public const string Alias = "items";

    private readonly OnnxSessionFactory _sessions;
    private readonly ILoggerFactory _loggers;
    private readonly ConcurrentDictionary<string, Lazy<ServedModel>> _loaded = new();
    private readonly List<(ServedModel Model, DateTime DroppedAt)> _released = [];
    private RegistryState? _swept;

    /// <summary>
    /// Opens the catalog over <paramref name="registry"/>. When the registry has no active version yet,
    /// <paramref name="seedDirectory"/> (the configured model folder) is registered as the active one.
    /// </summary>
    public ModelCatalog(ModelRegistry registry, OnnxSessionFactory sessions, string? seedDirectory, ILoggerFactory? loggers = null)
    {
        Registry = registry;
        _sessions = sessions;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        if (seedDirectory is not null)
        {
            Seed(seedDirectory);
        }
    }

    /// <summary>The registry the versions come from.</summary>
    public ModelRegistry Registry { get; }

    /// <summary>How long a released version stays usable by calls that took it before it was released.</summary>
    public TimeSpan ReleaseDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The versions loaded now (released ones excluded).</summary>
    public IReadOnlyCollection<string> Loaded
    {
        get
        {
            Sweep(Registry.Read());
            return [.. _loaded.Where(pair => pair.Value.IsValueCreated).Select(pair => pair.Key)];
        }
    }

    /// <summary>The active version.</summary>
    /// <exception cref="InvalidOperationException">No model is registered.</exception>
    public ServedModel Active => Get(Registry.Read().Active
        ?? throw new InvalidOperationException($"the model registry at {Registry.Root} has no active model; set Pipeline:ModelDirectory"));

    /// <summary>A registered version, loaded on first use.</summary>
    /// <exception cref="KeyNotFoundException">The version is not in the registry.</exception>
    public ServedModel Get(string version)
    {
        Sweep(Registry.Read());
        var lazy = _loaded.GetOrAdd(version, v => new Lazy<ServedModel>(() => ServedModel.Open(Registry.DirectoryOf(v), _sessions, _loggers)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _loaded.TryRemove(new KeyValuePair<string, Lazy<ServedModel>>(version, lazy));
            throw;
        }
    }

    /// <summary>The active version, or null while no model is active yet (a pipeline started on its own content).</summary>
    public ServedModel? ActiveOrNone => Registry.Read().Active is { } version ? Get(version) : null;

    /// <summary>
    /// The versions a new item must be written with: the active one and, while a reindex builds another version's
    /// index, that one too (so the reindex never misses an item ingested meanwhile); the active one first. Empty while no
    /// model is active and none is being built. Read fresh on every call.
    /// </summary>
    public IReadOnlyList<ServedModel> WriteTargets()
    {
        var state = Registry.Read();
        var targets = new List<ServedModel>(2);
        if (state.Active is { } active)
        {
            targets.Add(Get(active));
        }
        if (state.Reindex is { } reindex && reindex.Version != state.Active)
        {
            targets.Add(Get(reindex.Version));
        }
        return targets;
    }

    /// <summary>Opens a model folder outside the catalog (a candidate under evaluation); the caller disposes it.</summary>
    public ServedModel Open(string directory) => ServedModel.Open(directory, _sessions, _loggers);

    private void Seed(string directory)
    {
        var manifest = ModelFolder.Read(directory);
        Registry.Update(state =>
        {
            if (state.Active is not null)
            {
                if (state.Find(manifest.Version) is null)
                {
                    _loggers.CreateLogger<ModelCatalog>().LogWarning(
                        "The configured model {Version} ({Directory}) is not the registry's active model {Active}; the registry's is served " +
                        "(retrain or roll back to change it)", manifest.Version, directory, state.Active);
                }
                return state;
            }
            var now = DateTimeOffset.UtcNow;
            var seeded = state.Find(manifest.Version) ?? new RegisteredModel
            {
                Version = manifest.Version,
                Directory = Registry.Relative(directory),
                Stage = ModelStage.Active,
                RegisteredAt = now,
                RequestedBy = "seed",
                HoldoutMap = null,
            };
            return state.With(seeded with { Stage = ModelStage.Active, ActivatedAt = now }) with { Active = manifest.Version };
        });
    }

    // Releases the versions the registry no longer serves, once per registry change, and disposes those released long
    // enough ago. Served: the active version, kept previous ones (rollback), the one a reindex builds.
    private void Sweep(RegistryState state)
    {
        lock (_released)
        {
            var now = DateTime.UtcNow;
            if (!ReferenceEquals(state, _swept))
            {
                _swept = state;
                foreach (var (version, lazy) in _loaded)
                {
                    var stage = state.Find(version)?.Stage;
                    var served = version == state.Active || version == state.Reindex?.Version
                        || stage is ModelStage.Active or ModelStage.Previous or ModelStage.Promoting;
                    if (!served && _loaded.TryRemove(new KeyValuePair<string, Lazy<ServedModel>>(version, lazy)) && lazy.IsValueCreated)
                    {
                        _released.Add((lazy.Value, now));
                        _loggers.CreateLogger<ModelCatalog>().LogInformation("Model {Version} is no longer served: released", version);
                    }
                }
            }
            foreach (var old in _released.Where(entry => now - entry.DroppedAt >= ReleaseDelay).ToList())
            {
                old.Model.Dispose();
                _released.Remove(old);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var lazy in _loaded.Values.Where(l => l.IsValueCreated))
        {
            lazy.Value.Dispose();
        }
        _loaded.Clear();
        lock (_released)
        {
            _released.ForEach(entry => entry.Model.Dispose());
            _released.Clear();
        }
    }
}
