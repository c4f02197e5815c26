namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>The HNSW graphs of an index as they are now (for benchmarks and tests).</summary>
/// <param name="RebuiltOnOpen">True when opening built a graph again for records already stored.</param>
/// <param name="CaughtUp">True when every row is in its graph.</param>
/// <param name="MemoryBytes">What USearch reports both graphs use (vectors and links).</param>
/// <param name="ExpansionSearch">The ef of the image graph and of the text graph.</param>
/// <param name="Absent">Live records whose graph does not hold their slot (0 once caught up, unless a graph is wrong).</param>
internal sealed record GraphStats(bool RebuiltOnOpen, bool CaughtUp, long MemoryBytes, int[] ExpansionSearch, int Absent);
