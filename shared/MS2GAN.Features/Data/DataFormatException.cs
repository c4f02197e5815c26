namespace MS2GAN.Features.Data;

/// <summary>A data file that cannot be used; the message names the file and the problem.</summary>
public sealed class DataFormatException(string path, string problem)
    : Exception($"{path}: {problem}")
{
    /// <summary>The file (or folder) at fault.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with it, without the path.</summary>
    public string Problem { get; } = problem;
}
