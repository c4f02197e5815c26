namespace MS2GAN.Ingest;

/// <summary>A batch line that was refused; nothing was stored or published for it.</summary>
/// <param name="Line">The 1-based line number in the request body.</param>
/// <param name="Reason">All problems of the line in one sentence per field.</param>
/// <param name="Errors">The problems per JSON field, as in a single-item validation problem.</param>
public sealed record BatchLineRejected(int Line, string Reason, IReadOnlyDictionary<string, string[]> Errors);
