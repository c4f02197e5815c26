namespace MS2GAN.Model;

/// <summary>A training configuration that cannot be used; the message says which file or field and why.</summary>
public sealed class ConfigException(string message) : Exception(message);
