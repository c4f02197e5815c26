namespace MS2GAN.Integration.Tests.Bench;

/// <summary>A fact that runs a script with Debian's python3; skipped, saying why, where there is none.</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    /// <summary>Debian's interpreter (not a pyenv shim earlier on the PATH), as infra/scripts/bench-peers.sh uses it.</summary>
    public const string Python = "/usr/bin/python3";

    public PythonFactAttribute()
    {
        if (!File.Exists(Python))
        {
            Skip = $"no {Python}";
        }
    }
}
