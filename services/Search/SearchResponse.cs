namespace MS2GAN.Search;

/// <summary>Answer of POST /v1/search: the model version that encoded the query and the index, best hit first.</summary>
public sealed record SearchResponse(string ModelVersion, IReadOnlyList<SearchHit> Hits);

/// <summary>One hit; <paramref name="AutoLabel"/> is the active model's predicted label of an item ingested without labels.</summary>
public sealed record SearchHit(
    string Id, string Modality, double Score, IReadOnlyList<string> Labels, IReadOnlyDictionary<string, string> Metadata,
    MS2GAN.Storage.AutoLabel? AutoLabel = null);
