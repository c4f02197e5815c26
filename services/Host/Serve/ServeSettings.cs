namespace MS2GAN.Host.Serve;

/// <summary>What `ms2gan serve` was asked to do.</summary>
/// <param name="DataDirectory">Root of everything serve keeps: demo data, model, stores.</param>
/// <param name="ModelDirectory">A model folder to serve until the registry has an active model; null for none (or the demo model with <paramref name="Demo"/>).</param>
/// <param name="Urls">Where to listen.</param>
/// <param name="Transport">inmemory or rabbitmq.</param>
/// <param name="Demo">Draw the demo data, train the demo model, ingest the demo items and print example queries and their results.</param>
/// <param name="PerClass">Demo items per class when the demo data has to be generated.</param>
/// <param name="Store">embedded (default) or elasticsearch: where the vectors live.</param>
/// <param name="ElasticsearchUrl">The Elasticsearch URL for the elasticsearch store (else from configuration).</param>
public sealed record ServeSettings(
    string DataDirectory, string? ModelDirectory, string Urls, string Transport, bool Demo, int PerClass,
    string Store = "embedded", string? ElasticsearchUrl = null);
