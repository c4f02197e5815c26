using System.Text;
using Xunit.Sdk;

namespace MS2GAN.TestSupport;

/// <summary>
/// Bounded, repeatable fuzzing: each case is built from its own <see cref="Random"/> seeded by the run's seed
/// and the case index, so a failure names the two numbers that rebuild its input. A case must finish within a
/// time bound; a failure or a hang reports the seed, the index and a dump of the input.
/// </summary>
public static class Fuzz
{
    /// <summary>Fragments that break parsers: odd numbers, odd literals, invalid UTF-8, deep nesting, long runs.</summary>
    public static IReadOnlyList<byte[]> HostileTokens { get; } =
    [
        "NaN"u8.ToArray(), "Infinity"u8.ToArray(), "-Infinity"u8.ToArray(), "\"NaN\""u8.ToArray(),
        "1e999"u8.ToArray(), "-1e400"u8.ToArray(), "99999999999999999999999999"u8.ToArray(), "-0"u8.ToArray(),
        "2147483648"u8.ToArray(), "-9223372036854775809"u8.ToArray(), "0x7f"u8.ToArray(), "1.5"u8.ToArray(),
        "null"u8.ToArray(), "true"u8.ToArray(), "{}"u8.ToArray(), "[]"u8.ToArray(), "\"\""u8.ToArray(),
        "\"\\u0000\""u8.ToArray(), "\"\\ud800\""u8.ToArray(), "\\"u8.ToArray(), "\""u8.ToArray(), ","u8.ToArray(),
        ":"u8.ToArray(), "\n"u8.ToArray(), "\r\n"u8.ToArray(), "\t"u8.ToArray(),
        [0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0x00], [0xEF, 0xBB, 0xBF],
        Encoding.ASCII.GetBytes(new string('[', 600)), Encoding.ASCII.GetBytes(new string('{', 300)),
        Encoding.ASCII.GetBytes(new string('(', 600)), Encoding.ASCII.GetBytes("\"" + new string('a', 5000) + "\""),
        Encoding.ASCII.GetBytes(new string('9', 400)),
    ];

    /// <summary>
    /// Runs <paramref name="cases"/> cases: <paramref name="generate"/> builds case i from its own random source,
    /// <paramref name="check"/> asserts what must hold for it. Fails on the first case that throws or does not
    /// finish within <paramref name="perCase"/>, naming the target, seed and case index.
    /// </summary>
    public static async Task RunAsync(
        string target, int seed, int cases, Func<Random, byte[]> generate, Func<byte[], Task> check, TimeSpan perCase)
    {
        for (var index = 0; index < cases; index++)
        {
            var input = generate(CaseRandom(seed, index));
            Task run = Task.Run(() => check(input));
            try
            {
                await run.WaitAsync(perCase);
            }
            catch (TimeoutException)
            {
                throw new XunitException($"{target}: case {index} of seed {seed} did not finish within {perCase.TotalSeconds:0.#} s; input {Dump(input)}");
            }
            catch (Exception exception)
            {
                throw new XunitException($"{target}: case {index} of seed {seed} failed; input {Dump(input)}{Environment.NewLine}{exception}");
            }
        }
    }

    /// <summary>The random source of case <paramref name="index"/> of a run seeded with <paramref name="seed"/>.</summary>
    /// <remarks>Not <see cref="HashCode"/>: it is seeded anew in each process, and the case must be rebuilt in another.</remarks>
    public static Random CaseRandom(int seed, int index) => new(unchecked((seed * 1_000_003) + index));

    /// <summary>
    /// One to four mutations of <paramref name="valid"/> (bit flips, truncation, insertion, deletion, duplication,
    /// splicing in a <paramref name="tokens"/> entry or another seed), or now and then pure random bytes; at most
    /// <paramref name="maxLength"/> bytes.
    /// </summary>
    public static byte[] Mutate(Random random, byte[] valid, IReadOnlyList<byte[]> tokens, int maxLength)
    {
        if (random.Next(12) == 0)
        {
            return RandomBytes(random, random.Next(1 + Math.Min(maxLength, 4096)));
        }
        var bytes = new List<byte>(valid);
        var mutations = 1 + random.Next(4);
        for (var m = 0; m < mutations; m++)
        {
            var at = random.Next(bytes.Count + 1);
            switch (random.Next(8))
            {
                case 0 when bytes.Count > 0:
                    var flip = Math.Min(at, bytes.Count - 1);
                    bytes[flip] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[Math.Min(at, bytes.Count - 1)] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.InsertRange(at, RandomBytes(random, 1 + random.Next(16)));
                    break;
                case 4:
                    bytes.RemoveRange(at, random.Next(Math.Min(64, bytes.Count - at) + 1));
                    break;
                case 5 when bytes.Count > 0:
                    var from = random.Next(bytes.Count);
                    var length = random.Next(Math.Min(256, bytes.Count - from) + 1);
                    bytes.InsertRange(at, bytes.GetRange(from, length));
                    break;
                default:
                    // Replace a stretch with a hostile token: a number, a literal, a broken character, nesting.
                    var token = tokens[random.Next(tokens.Count)];
                    bytes.RemoveRange(at, random.Next(Math.Min(8, bytes.Count - at) + 1));
                    bytes.InsertRange(at, token);
                    break;
            }
        }
        return bytes.Count > maxLength ? [.. bytes.Take(maxLength)] : [.. bytes];
    }

    /// <summary>Random bytes, for the pure-noise cases.</summary>
    public static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A short printable dump: length, then printable ASCII as is and other bytes as \xNN, cut after 200 bytes.</summary>
    public static string Dump(ReadOnlySpan<byte> input)
    {
        var builder = new StringBuilder().Append(input.Length).Append(" bytes: \"");
        foreach (var b in input[..Math.Min(input.Length, 200)])
        {
            builder.Append(b is >= 0x20 and < 0x7F and not (byte)'\\' and not (byte)'"' ? (char)b : $"\\x{b:X2}");
        }
        return builder.Append(input.Length > 200 ? "\"..." : "\"").ToString();
    }
}
