namespace MS2GAN.Benchmarks;

/// <summary>The <c>--name value</c> options after a verb.</summary>
internal sealed class BenchmarkArgs
{
    private readonly Dictionary<string, string> _values;

    private BenchmarkArgs(Dictionary<string, string> values) => _values = values;

    public static BenchmarkArgs Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value', got '{args[i]}'");
            }

            values[args[i][2..]] = args[++i];
        }

        return new BenchmarkArgs(values);
    }

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    public string? String(string name) => _values.GetValueOrDefault(name);
}
