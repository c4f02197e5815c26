namespace MS2GAN.Storage.Elasticsearch;

/// <summary>The <c>refresh</c> parameter of writes: freshness against throughput.</summary>
public enum ElasticsearchRefresh
{
    /// <summary>Writes return at once; they become searchable at the next periodic refresh (about a second).</summary>
    None,

    /// <summary>Writes return once a refresh has made them searchable (<c>wait_for</c>); no extra refreshes are forced.</summary>
    WaitFor,

    /// <summary>Every write forces a refresh (<c>true</c>): immediately searchable, costly under load; for tests.</summary>
    Immediate,
}
