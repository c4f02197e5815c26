namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>An error USearch's C library reported (its message, with the function that failed).</summary>
internal sealed class UsearchException(string message) : Exception(message);
