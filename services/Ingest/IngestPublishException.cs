namespace MS2GAN.Ingest;

/// <summary>
/// Items were recorded but the event announcing them could not be published (the broker is down). The
/// items stay in the item store in state ingested; the caller answers 503 so the client retries later.
/// </summary>
public sealed class IngestPublishException(string message, Exception innerException) : Exception(message, innerException);
