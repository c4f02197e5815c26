using System.IO.Pipelines;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MS2GAN.Contracts;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Media;

namespace MS2GAN.Ingest;

/// <summary>
/// The ingest logic, without HTTP: validates items, puts image bytes into the media store, records the
/// items in the item store and announces the items that were created or replaced in one <see cref="ItemsIngested"/>:
/// for a single item, and for each recorded chunk of a batch. A refused item leaves no trace (nothing stored, nothing published); an item ingested again
/// with the same content is <see cref="UpsertOutcome.Unchanged"/> and publishes nothing once it is indexed
/// or failed.
/// </summary>
/// <remarks>
/// Publishing happens after the store write, so a broker outage leaves recorded items in state ingested
/// and surfaces as <see cref="IngestPublishException"/> (HTTP 503). Re-sending them announces them again:
/// an unchanged item still in state ingested is published once more.
/// </remarks>
public sealed partial class IngestService
{
    // Keeps the decoded images of one batch chunk in memory within bounds, whatever the chunk size.
    private const long MaxChunkImageBytes = 64L * 1024 * 1024;
    private const string LineKey = "line";

    private static readonly HashSet<string> KnownReasonFields =
        ["id", "text", "image", "imageFeatures", "textFeatures", "labels", "metadata", "body", "line", ItemValidator.ItemKey];

    private readonly IItemStore _items;
    private readonly IMediaStore _media;
    private readonly IPublishEndpoint _publisher;
    private readonly ItemValidator _validator;
    private readonly IngestOptions _options;
    private readonly TimeProvider _time;
    private readonly Ms2GanMetrics _metrics;
    private readonly ILogger<IngestService> _logger;

    internal IngestService(
        IItemStore items,
        IMediaStore media,
        IPublishEndpoint publisher,
        ItemValidator validator,
        IOptions<IngestOptions> options,
        TimeProvider time,
        Ms2GanMetrics metrics,
        ILogger<IngestService> logger)
    {
        _items = items;
        _media = media;
        _publisher = publisher;
        _validator = validator;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Validates and records one item whose image, if any, is the base64 <see cref="ItemRequest.Image"/>.</summary>
    /// <exception cref="IngestPublishException">The item was recorded but <see cref="ItemsIngested"/> could not be published.</exception>
    public Task<IngestResult> IngestAsync(ItemRequest request, CancellationToken cancellationToken = default) =>
        IngestAsync(request, null, cancellationToken);

    /// <summary>
    /// Validates and records one item. <paramref name="uploadedImage"/> carries image bytes that came as a
    /// file (multipart) rather than as base64; it takes the place of <see cref="ItemRequest.Image"/>.
    /// </summary>
    /// <exception cref="IngestPublishException">The item was recorded but <see cref="ItemsIngested"/> could not be published.</exception>
    public async Task<IngestResult> IngestAsync(ItemRequest request, ReadOnlyMemory<byte>? uploadedImage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var item = _validator.Validate(request, uploadedImage, out var errors);
        if (item is null)
        {
            LogRefused(_logger, request.Id, string.Join(", ", errors.Keys));
            _metrics.ItemsRejected(ReasonCode(errors));
            return IngestResult.Refused(errors);
        }
        var outcomes = await RecordAsync([item], cancellationToken).ConfigureAwait(false);
        return IngestResult.Accepted(item.Id, outcomes[0]);
    }

    /// <summary>
    /// Reads an NDJSON body (one <see cref="ItemRequest"/> per line) as it arrives, never holding more than
    /// one chunk of items, and records the valid lines in chunks of <see cref="IngestOptions.BatchChunkSize"/>.
    /// Reading stops at the item after <see cref="IngestOptions.MaxBatchLines"/>: lines up to there are
    /// processed and reported, that line and the rest are not read (<see cref="BatchIngestResult.StoppedAtLine"/>).
    /// </summary>
    /// <exception cref="IngestPublishException">A chunk was recorded but its events could not be published; later lines were not read.</exception>
    public async Task<BatchIngestResult> IngestBatchAsync(Stream ndjson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ndjson);
        var reader = PipeReader.Create(ndjson, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var accepted = new List<BatchLineAccepted>();
        var rejected = new List<BatchLineRejected>();
        var pending = new List<(int Line, ValidatedItem Item)>();
        long pendingImageBytes = 0;
        int? stoppedAt = null;
        var itemLines = 0;
        try
        {
            await foreach (var line in NdjsonLineReader.ReadAsync(reader, _options.MaxRequestBytes, cancellationToken).ConfigureAwait(false))
            {
                if (++itemLines > _options.MaxBatchLines)
                {
                    stoppedAt = line.Number;
                    break;
                }
                var item = ValidateLine(line, out var errors);
                if (item is null)
                {
                    _metrics.ItemsRejected(ReasonCode(errors));
                    rejected.Add(new BatchLineRejected(line.Number, Describe(errors), errors));
                    continue;
                }
                pending.Add((line.Number, item));
                pendingImageBytes += item.Image?.Length ?? 0;
                if (pending.Count >= _options.BatchChunkSize || pendingImageBytes >= MaxChunkImageBytes)
                {
                    await FlushAsync(pending, accepted, cancellationToken).ConfigureAwait(false);
                    pendingImageBytes = 0;
                }
            }
            await FlushAsync(pending, accepted, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
        LogBatch(_logger, accepted.Count, rejected.Count, stoppedAt);
        return new BatchIngestResult { Accepted = accepted, Rejected = rejected, StoppedAtLine = stoppedAt };
    }

    /// <summary>The item with this id, or null.</summary>
    public Task<ItemRecord?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        ItemIds.IsValid(id) ? _items.GetAsync(id, cancellationToken) : Task.FromResult<ItemRecord?>(null);

    /// <summary>
    /// Removes an item from the item store and its image from the media store, and publishes
    /// <see cref="ItemDeleted"/> so the vector stores drop it.
    /// </summary>
    /// <returns>False when there is no such item.</returns>
    /// <exception cref="IngestPublishException">The item was removed but <see cref="ItemDeleted"/> could not be published.</exception>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        var item = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (item is null || !await _items.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        if (item.ImageMediaRef is { } mediaRef)
        {
            await TryDeleteMediaAsync(mediaRef).ConfigureAwait(false);
        }
        try
        {
            await _publisher.Publish(new ItemDeleted(id, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPublishFailed(_logger, exception, 1);
            throw new IngestPublishException(
                $"Item '{id}' was deleted, but the message telling the vector stores to drop it could not be published.", exception);
        }
        LogDeleted(_logger, id);
        return true;
    }

    private ValidatedItem? ValidateLine(NdjsonLine line, out Dictionary<string, string[]> errors)
    {
        if (line.TooLong)
        {
            errors = new Dictionary<string, string[]>
            {
                [LineKey] = [$"The line is longer than the limit of {_options.MaxRequestBytes} bytes; it was skipped unread."],
            };
            return null;
        }
        var request = ItemRequestJson.TryRead(line.Content, out errors);
        return request is null ? null : _validator.Validate(request, null, out errors);
    }

    private async Task FlushAsync(List<(int Line, ValidatedItem Item)> pending, List<BatchLineAccepted> accepted, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }
        var outcomes = await RecordAsync(pending.ConvertAll(entry => entry.Item), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < pending.Count; i++)
        {
            accepted.Add(new BatchLineAccepted(pending[i].Line, pending[i].Item.Id, OutcomeNames.Of(outcomes[i])));
        }
        pending.Clear();
    }

    /// <summary>Stores media, upserts the records in one transaction and announces what changed.</summary>
    private async Task<IReadOnlyList<UpsertOutcome>> RecordAsync(IReadOnlyList<ValidatedItem> items, CancellationToken cancellationToken)
    {
        var existing = await _items.GetManyAsync(items.Select(item => item.Id).Distinct(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        var existingRefs = existing.ToDictionary(item => item.Id, item => item.ImageMediaRef, StringComparer.Ordinal);
        var existingStates = existing.ToDictionary(item => item.Id, item => item.State, StringComparer.Ordinal);

        var records = new ItemRecord[items.Count];
        var putRefs = new List<(string Id, string Ref)>();
        IReadOnlyList<UpsertOutcome> outcomes;
        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                string? mediaRef = null;
                string? imageSha = null;
                if (item.Image is { } image)
                {
                    imageSha = ItemContentHash.Sha256Hex(image.Span);
                    mediaRef = await _media.PutAsync(item.Id, image, item.ImageContentType!, cancellationToken).ConfigureAwait(false);
                    putRefs.Add((item.Id, mediaRef));
                }
                records[i] = new ItemRecord
                {
                    Id = item.Id,
                    Labels = item.Labels,
                    Metadata = item.Metadata,
                    Text = item.Text,
                    ImageMediaRef = mediaRef,
                    ImageContentType = item.ImageContentType,
                    ImageFeatures = item.ImageFeatures,
                    TextFeatures = item.TextFeatures,
                    ContentHash = ItemContentHash.Compute(item.Labels, item.Metadata, item.Text, imageSha, item.ImageFeatures, item.TextFeatures),
                };
            }
            outcomes = await _items.UpsertManyAsync(records, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Nothing was recorded: remove the media put for it, except files the stored items already use.
            foreach (var (id, mediaRef) in putRefs)
            {
                if (!(existingRefs.TryGetValue(id, out var kept) && kept == mediaRef))
                {
                    await TryDeleteMediaAsync(mediaRef).ConfigureAwait(false);
                }
            }
            throw;
        }

        var announced = new List<IngestedItem>();
        var now = _time.GetUtcNow();
        for (var i = 0; i < records.Length; i++)
        {
            var record = records[i];
            // The same content again is announced only while it is not indexed yet: an earlier announcement may
            // have been lost (a broker outage after the store write), and the encoder skips what it has indexed.
            if (outcomes[i] == UpsertOutcome.Unchanged
                && existingStates.GetValueOrDefault(record.Id, ItemState.Ingested) != ItemState.Ingested)
            {
                continue;
            }
            // Replaced content may have replaced the image: its old file is no longer anyone's.
            if (existingRefs.TryGetValue(record.Id, out var previousRef) && previousRef is not null && previousRef != record.ImageMediaRef)
            {
                await TryDeleteMediaAsync(previousRef).ConfigureAwait(false);
            }
            existingRefs[record.Id] = record.ImageMediaRef;
            announced.Add(new IngestedItem(
                record.Id,
                record.ContentHash,
                HasImage: record.ImageMediaRef is not null,
                HasText: record.Text is not null,
                HasImageFeatures: record.ImageFeatures is not null,
                HasTextFeatures: record.TextFeatures is not null,
                IngestedAt: now));
        }

        if (announced.Count > 0)
        {
            try
            {
                // One message for the chunk: the broker's per-message cost is paid once, not once per item.
                await _publisher.Publish(new ItemsIngested(announced), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPublishFailed(_logger, exception, announced.Count);
                throw new IngestPublishException(
                    $"{announced.Count} item(s) were recorded, but the message announcing them could not be published; they stay in state ingested.",
                    exception);
            }
        }
        foreach (var group in outcomes.GroupBy(outcome => outcome))
        {
            _metrics.ItemsIngested(OutcomeNames.Of(group.Key), group.Count());
        }
        LogRecorded(_logger, records.Length, announced.Count);
        return outcomes;
    }

    private async Task TryDeleteMediaAsync(string mediaRef)
    {
        try
        {
            await _media.DeleteAsync(mediaRef, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            LogMediaNotDeleted(_logger, exception, mediaRef);
        }
    }

    /// <summary>A short metric tag: the first field at fault ("image", "text", "body", ...), from a small fixed set.</summary>
    private static string ReasonCode(IReadOnlyDictionary<string, string[]> errors) =>
        errors.Keys.FirstOrDefault() is { } field && KnownReasonFields.Contains(field) ? $"invalid_{field}" : "invalid_other";

    private static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        string.Join(" ", errors.SelectMany(pair => pair.Value.Select(message => $"{pair.Key}: {message}")));

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused item {ItemId}: invalid {Fields}")]
    private static partial void LogRefused(ILogger logger, string? itemId, string fields);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Recorded {ItemCount} item(s), announced {PublishedCount}")]
    private static partial void LogRecorded(ILogger logger, int itemCount, int publishedCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch ingested: {AcceptedCount} accepted, {RejectedCount} rejected, stopped at line {StoppedAtLine}")]
    private static partial void LogBatch(ILogger logger, int acceptedCount, int rejectedCount, int? stoppedAtLine);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted item {ItemId}")]
    private static partial void LogDeleted(ILogger logger, string itemId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing {MessageCount} message(s) failed after the store write")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, int messageCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete media {MediaRef}; it is left over")]
    private static partial void LogMediaNotDeleted(ILogger logger, Exception exception, string mediaRef);
}
