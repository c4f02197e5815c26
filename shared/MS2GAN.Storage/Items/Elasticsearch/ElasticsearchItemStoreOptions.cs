using System.Text.RegularExpressions;
using MS2GAN.Storage.Elasticsearch;

namespace MS2GAN.Storage.Items.Elasticsearch;

/// <summary>Options of <see cref="ElasticsearchItemStore"/>.</summary>
public sealed partial record ElasticsearchItemStoreOptions
{
    /// <summary>The items index: one document per item, its id the item id.</summary>
    public string IndexName { get; init; } = "ms2gan-items";

    /// <summary>Name of the composable index template (infra/elasticsearch/items-index-template.json) applied before the index is created.</summary>
    public string TemplateName { get; init; } = "ms2gan-items";

    /// <summary>
    /// Refresh policy of writes. Reads by id (get, get many, the read before an upsert) are real-time whatever it is;
    /// counts and listings are searches and see a write once the index is refreshed: at once with
    /// <see cref="ElasticsearchRefresh.WaitFor"/> or <see cref="ElasticsearchRefresh.Immediate"/>, within the
    /// refresh interval (1 s) with <see cref="ElasticsearchRefresh.None"/>.
    /// </summary>
    public ElasticsearchRefresh Refresh { get; init; } = ElasticsearchRefresh.None;

    /// <summary>Documents per <c>_bulk</c> request (upserts, marks).</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Retries of a request answered 429 or 5xx (or not answered), and of bulk items answered so.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>First back-off delay; later ones grow exponentially, with jitter, up to 30 seconds.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Checks the values and throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (IndexName is null || !NamePattern().IsMatch(IndexName))
        {
            throw new ArgumentException(
                "IndexName must be 1..100 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.", nameof(IndexName));
        }

        if (TemplateName is null || !NamePattern().IsMatch(TemplateName))
        {
            throw new ArgumentException("TemplateName must be 1..100 lower-case letters, digits, '.', '_' or '-'.", nameof(TemplateName));
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException("BatchSize must be >= 1.", nameof(BatchSize));
        }

        if (MaxRetries < 0)
        {
            throw new ArgumentException("MaxRetries must be >= 0.", nameof(MaxRetries));
        }

        if (RetryBaseDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("RetryBaseDelay must not be negative.", nameof(RetryBaseDelay));
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,99}$")]
    private static partial Regex NamePattern();
}
