using Microsoft.Extensions.Options;

namespace MS2GAN.Ingest;

/// <summary>Refuses ingest settings that cannot work, naming the setting, so the service stops at start-up instead of misbehaving.</summary>
internal sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var failures = new List<string>();
        Positive(failures, nameof(IngestOptions.MaxBatchLines), options.MaxBatchLines);
        Positive(failures, nameof(IngestOptions.MaxTextLength), options.MaxTextLength);
        Positive(failures, nameof(IngestOptions.MaxImageBytes), options.MaxImageBytes);
        Positive(failures, nameof(IngestOptions.MaxImagePixels), options.MaxImagePixels);
        Positive(failures, nameof(IngestOptions.MaxRequestBytes), options.MaxRequestBytes);
        Positive(failures, nameof(IngestOptions.MaxBatchBytes), options.MaxBatchBytes);
        Positive(failures, nameof(IngestOptions.BatchChunkSize), options.BatchChunkSize);
        if (options.MaxRequestBytes > 0 && options.MaxBatchBytes > 0 && options.MaxBatchBytes < options.MaxRequestBytes)
        {
            failures.Add($"Ingest:{nameof(IngestOptions.MaxBatchBytes)} ({options.MaxBatchBytes}) must be at least {nameof(IngestOptions.MaxRequestBytes)} ({options.MaxRequestBytes}): a batch holds at least one item.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string setting, long value)
    {
        if (value <= 0)
        {
            failures.Add($"Ingest:{setting} must be positive; it is {value}.");
        }
    }
}
