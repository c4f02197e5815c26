using MS2GAN.Storage.Vectors;

namespace MS2GAN.Integration.Tests;

/// <summary>The real vector store, with an outage switch: while <see cref="Down"/>, every write fails as an unreachable server's would.</summary>
internal sealed class OutageVectorStore(IVectorStore inner) : DelegatingVectorStore(inner)
{
    public const string Reason = "the vector store is unreachable (simulated outage)";

    public volatile bool Down;

    public override Task UpsertAsync(string indexOrAlias, IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default) =>
        Down ? throw new IOException(Reason) : Inner.UpsertAsync(indexOrAlias, records, cancellationToken);
}
