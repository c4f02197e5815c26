namespace MS2GAN.Storage.Vectors;

/// <summary>
/// A kNN query. An item scores <c>SpecificWeight * dot(S_q, S_i) + SharedWeight * dot(C_q, C_i)</c> over
/// L2-normalised vectors (cosine), so the weighting is chosen per query without reindexing.
/// Filters are applied before the top <see cref="K"/> are taken.
/// </summary>
/// <param name="Specific">Query specific vector S_q (normalised by the store; may be empty when <paramref name="SpecificWeight"/> is 0).</param>
/// <param name="Shared">Query shared vector C_q (normalised by the store; may be empty when <paramref name="SharedWeight"/> is 0).</param>
/// <param name="SpecificWeight">Weight of the specific similarity.</param>
/// <param name="SharedWeight">Weight of the shared similarity.</param>
/// <param name="Target">Which records to return: <c>image</c>, <c>text</c> or <c>any</c> (see <see cref="VectorModalities"/>).</param>
/// <param name="K">Number of hits to return (1..10,000 together with <paramref name="Offset"/>).</param>
/// <param name="Offset">Hits to skip, for pagination: page n is <c>Offset = n * K</c>.</param>
/// <param name="AnyOfLabels">When non-empty, only records carrying at least one of these labels.</param>
/// <param name="Metadata">When non-empty, only records whose metadata has every one of these key/value pairs.</param>
/// <param name="ExcludeItemId">When set, records of this item (both modalities) are skipped.</param>
/// <param name="AutoLabel">When set, only records whose predicted label (<see cref="VectorRecord.AutoLabel"/>) is this one.</param>
/// <param name="MinAutoLabelConfidence">With <paramref name="AutoLabel"/>: only predictions at or above this confidence.</param>
public sealed record VectorQuery(
    float[] Specific,
    float[] Shared,
    double SpecificWeight,
    double SharedWeight,
    string Target,
    int K,
    int Offset = 0,
    IReadOnlyList<string>? AnyOfLabels = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    string? ExcludeItemId = null,
    string? AutoLabel = null,
    double MinAutoLabelConfidence = 0)
{
    /// <summary>The largest <c>Offset + K</c> a store accepts (the Elasticsearch default result window).</summary>
    public const int MaxResultWindow = 10_000;
}
