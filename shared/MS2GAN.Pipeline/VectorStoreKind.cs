namespace MS2GAN.Pipeline;

/// <summary>Which vector store the services use (Pipeline:Store).</summary>
public enum VectorStoreKind
{
    /// <summary>The embedded store in Pipeline:DataDirectory: no server (the default).</summary>
    Embedded,

    /// <summary>Elasticsearch at Elasticsearch:Url: the scale-out store.</summary>
    Elasticsearch,
}
