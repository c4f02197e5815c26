using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MS2GAN.Benchmarks;

/// <summary>What every verb that works in a folder of its own does around its measurement: the machine, the JSON file, the exit status.</summary>
internal static class BenchRun
{
    /// <summary>The machine the figures were measured on, for the JSON report.</summary>
    public static object Machine => new { cores = Environment.ProcessorCount, os = RuntimeInformation.OSDescription, dotnet = Environment.Version.ToString() };

    /// <summary>
    /// Runs <paramref name="run"/> in a new temporary folder, deleted afterwards; a failure is printed and exits with 1
    /// (a usage error is left to Program).
    /// </summary>
    public static async Task<int> InTempFolderAsync(string verb, Func<DirectoryInfo, Task<int>> run)
    {
        var work = Directory.CreateTempSubdirectory($"ms2gan-{verb}-");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; work folder {work.FullName}");
        try
        {
            return await run(work);
        }
        catch (Exception ex) when (ex is not BenchUsageException)
        {
            Console.Error.WriteLine($"{verb} benchmark failed: {ex}");
            return 1;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Writes the report as indented JSON, creating the folder; returns the file's full path. A figure with nothing
    /// to measure (a percentile of no requests) is NaN, written as "NaN".
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="report">The figures.</param>
    /// <param name="camelCase">Name the properties of nested records in camelCase too (as the anonymous objects are named),
    /// for readers that expect it throughout, such as bench/report.py's quality part.</param>
    public static async Task<string> WriteJsonAsync(string path, object report, bool camelCase = false)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            PropertyNamingPolicy = camelCase ? JsonNamingPolicy.CamelCase : null,
        };
        await File.WriteAllTextAsync(fullPath, JsonSerializer.Serialize(report, options));
        return fullPath;
    }
}
