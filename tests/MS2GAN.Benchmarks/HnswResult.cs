namespace MS2GAN.Benchmarks;

/// <summary>Figures of one corpus: how it was made, load and graph build times, and each direction's figures.</summary>
internal sealed record HnswCorpusResult(
    string Corpus, string Description, int Records, int Connectivity, int ExpansionAdd, int ExpansionSearch,
    double ExactLoadSeconds, double HnswLoadSeconds, double GraphBuildSeconds, IReadOnlyList<HnswDirectionResult> Directions);

/// <summary>Recall@10 of HNSW against exact, and both modes' speed, for one query direction.</summary>
internal sealed record HnswDirectionResult(
    string Direction, int Queries, double RecallAt10,
    double ExactQps1, double HnswQps1, double ExactQpsConcurrent, double HnswQpsConcurrent, int Callers,
    double ExactP50Ms, double ExactP99Ms, double HnswP50Ms, double HnswP99Ms);
