namespace MS2GAN.Benchmarks;

/// <summary>
/// One look at the soak: the process's memory (the service runs in this process), the counters since the start
/// of the soak and the rates and search latencies of the interval since the previous look.
/// </summary>
public sealed record SoakSample(
    double Seconds,
    double WorkingSetMb,
    double GcHeapMb,
    double GcCommittedMb,
    double Gen2Mb,
    double LargeObjectHeapMb,
    double VectorDataMb,
    long Accepted,
    long Indexed,
    long Failed,
    double AcceptedPerSecond,
    double IndexedPerSecond,
    long IngestErrors,
    long SearchErrors,
    long EmptyAnswers,
    int Searches,
    double SearchP50Ms,
    double SearchP99Ms)
{
    /// <summary>Items accepted over HTTP but not indexed yet.</summary>
    public long Lag => Accepted - Indexed;
}
