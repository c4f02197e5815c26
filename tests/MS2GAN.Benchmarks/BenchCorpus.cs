using MS2GAN.Storage.Vectors;

namespace MS2GAN.Benchmarks;

/// <summary>Records to index and the queries of each direction, with a sentence saying how they were made.</summary>
internal sealed record BenchCorpus(
    string Name, string Description, int SpecificDim, int SharedDim, IReadOnlyList<VectorRecord> Records,
    IReadOnlyList<QuerySet> QuerySets);

/// <summary>The queries of one direction, e.g. text->image.</summary>
internal sealed record QuerySet(string Direction, IReadOnlyList<VectorQuery> Queries);
