using System.Globalization;

namespace MS2GAN.Benchmarks;

/// <summary>The <c>--name value</c> options of a benchmark verb.</summary>
public sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values;

    private BenchArgs(Dictionary<string, string> values) => _values = values;

    public static BenchArgs Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new BenchUsageException($"expected '--name value' pairs, got '{string.Join(' ', args[i..])}'");
            }
            values[args[i][2..]] = args[i + 1];
        }
        return new BenchArgs(values);
    }

    public int Int(string name, int fallback, int min = 1, int max = int.MaxValue)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new BenchUsageException($"--{name} must be an integer from {min} to {max}, got '{text}'");
    }

    public string? String(string name) => _values.GetValueOrDefault(name);
}
