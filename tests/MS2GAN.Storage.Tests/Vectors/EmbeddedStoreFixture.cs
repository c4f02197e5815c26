using MS2GAN.Storage.Vectors;

namespace MS2GAN.Storage.Tests.Vectors;

/// <summary>Temporary folders and the embedded stores opened over them; everything is removed on dispose.</summary>
internal sealed class EmbeddedStoreFixture : IDisposable
{
    private readonly List<string> _roots = [];
    private readonly List<EmbeddedVectorStore> _stores = [];
    private readonly Dictionary<EmbeddedVectorStore, EmbeddedVectorStoreOptions> _options = [];

    public EmbeddedVectorStore Create(Func<string, EmbeddedVectorStoreOptions> options)
    {
        var root = Path.Combine(Path.GetTempPath(), "ms2gan-vectors-" + Guid.NewGuid().ToString("N"));
        lock (_roots)
        {
            _roots.Add(root);
        }

        return Open(options(root));
    }

    public EmbeddedVectorStore Reopen(IVectorStore store)
    {
        var embedded = (EmbeddedVectorStore)store;
        EmbeddedVectorStoreOptions options;
        lock (_roots)
        {
            options = _options[embedded];
        }

        embedded.Dispose();
        return Open(options);
    }

    public EmbeddedVectorStoreOptions OptionsOf(EmbeddedVectorStore store)
    {
        lock (_roots)
        {
            return _options[store];
        }
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        foreach (var root in _roots.Where(Directory.Exists))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private EmbeddedVectorStore Open(EmbeddedVectorStoreOptions options)
    {
        var store = new EmbeddedVectorStore(options);
        lock (_roots)
        {
            _stores.Add(store);
            _options[store] = options;
        }

        return store;
    }
}
