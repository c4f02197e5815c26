namespace MS2GAN.Storage.Vectors;

/// <summary>
/// A write that stored part of its records and refused the rest for good (after the store's own retries): the
/// caller learns which items failed and why, so it can mark them failed rather than lose them silently.
/// </summary>
public class VectorWriteException : Exception
{
    public VectorWriteException(string message, IReadOnlyDictionary<string, string> failedItems)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(failedItems);
        FailedItems = failedItems;
    }

    /// <summary>The items not (fully) written, by item id, with the store's reason.</summary>
    public IReadOnlyDictionary<string, string> FailedItems { get; }
}
