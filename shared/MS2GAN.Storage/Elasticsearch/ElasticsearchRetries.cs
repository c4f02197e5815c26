using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace MS2GAN.Storage.Elasticsearch;

/// <summary>
/// The Polly pipelines both Elasticsearch stores build once: exponential back-off with jitter, up to 30 s between
/// tries, for requests that failed transiently (no answer, 429, 5xx) and for bulk documents refused with 429/5xx.
/// </summary>
internal static class ElasticsearchRetries
{
    /// <summary>Retries of single requests; no retries when <paramref name="maxRetries"/> is 0.</summary>
    public static ResiliencePipeline<JsonNode?> Requests(int maxRetries, TimeSpan baseDelay, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<JsonNode?>();
        if (maxRetries > 0)
        {
            builder.AddRetry(Retry(
                new PredicateBuilder<JsonNode?>().Handle<ElasticsearchRequestException>(e => e.IsTransient), _ => 0, maxRetries, baseDelay, logger));
        }

        return builder.Build();
    }

    /// <summary>Retries of bulk requests, and of the documents of a bulk response refused with 429/5xx.</summary>
    public static ResiliencePipeline<BulkPass> Bulk(int maxRetries, TimeSpan baseDelay, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<BulkPass>();
        if (maxRetries > 0)
        {
            builder.AddRetry(Retry(
                new PredicateBuilder<BulkPass>().Handle<ElasticsearchRequestException>(e => e.IsTransient).HandleResult(pass => pass.Retryable > 0),
                pass => pass.Retryable, maxRetries, baseDelay, logger));
        }

        return builder.Build();
    }

    /// <summary>The <c>refresh</c> query parameter of writes.</summary>
    public static string RefreshParameter(ElasticsearchRefresh refresh) => refresh switch
    {
        ElasticsearchRefresh.WaitFor => "wait_for",
        ElasticsearchRefresh.Immediate => "true",
        _ => "false",
    };

    /// <summary><paramref name="refused"/> counts the documents still refused, for the log.</summary>
    private static RetryStrategyOptions<T> Retry<T>(
        PredicateBuilder<T> shouldHandle, Func<T, int> refused, int maxRetries, TimeSpan baseDelay, ILogger logger) => new()
    {
        ShouldHandle = shouldHandle,
        MaxRetryAttempts = maxRetries,
        Delay = baseDelay,
        MaxDelay = TimeSpan.FromSeconds(30),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        OnRetry = args =>
        {
            logger.LogWarning(
                args.Outcome.Exception, "Elasticsearch request failed or {Refused} document(s) were refused with 429/5xx; retry {Attempt} in {Delay}",
                args.Outcome.Exception is null ? refused(args.Outcome.Result!) : 0, args.AttemptNumber + 1, args.RetryDelay);
            return default;
        },
    };
}
