namespace MS2GAN.Host.Cli;

/// <summary>
/// A verb ends with a known exit code and a one-line reason (the service refused the request, could not be
/// reached, the command was rejected); <see cref="CliRunner"/> prints the reason and returns the code.
/// </summary>
public sealed class CommandFailedException(int exitCode, string message) : Exception(message)
{
    /// <summary>The process exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
