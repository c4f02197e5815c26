namespace MS2GAN.Pipeline;

/// <summary>Which item store (the system of record) the services use (Pipeline:ItemStore).</summary>
public enum ItemStoreKind
{
    /// <summary>SQLite in Pipeline:DataDirectory (the default): one machine, no server.</summary>
    Sqlite,

    /// <summary>The items index in Elasticsearch (section "Elasticsearch"): shared by services on several machines.</summary>
    Elasticsearch,
}
