using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MS2GAN.Features.Data;

/// <summary>What a feature dataset is: the optional <c>dataset.json</c> next to its .npy files.</summary>
/// <param name="Name">Display name; defaults to the folder name.</param>
/// <param name="ImageFeatures">The image backbone that produced the features, e.g. <c>resnet18</c>, or <see cref="Precomputed"/>.</param>
/// <param name="TextFeatures">The text backbone, e.g. <c>all-MiniLM-L6-v2</c>, or <see cref="Precomputed"/>.</param>
/// <param name="ClassNames">Name of each class by label, or null when unknown.</param>
public sealed record DatasetInfo(string Name, string ImageFeatures, string TextFeatures, IReadOnlyList<string>? ClassNames)
{
    /// <summary>The file name looked for in a dataset folder.</summary>
    public const string FileName = "dataset.json";

    /// <summary>Features that came with the dataset rather than from one of our backbones.</summary>
    public const string Precomputed = "precomputed";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The description used when a folder has no <c>dataset.json</c>.</summary>
    public static DatasetInfo Default(string directory) =>
        new(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))), Precomputed, Precomputed, null);

    /// <summary>
    /// Reads <c>dataset.json</c> from <paramref name="directory"/>; fields it leaves out, or the whole
    /// file when absent, take the values of <see cref="Default"/>.
    /// </summary>
    /// <exception cref="DataFormatException">The file exists but is not a valid description.</exception>
    public static DatasetInfo Load(string directory)
    {
        var defaults = Default(directory);
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return defaults;
        }
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(File.ReadAllBytes(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new DataFormatException(path, $"not a valid dataset description: {ex.Message}");
        }
        if (document is null)
        {
            throw new DataFormatException(path, "not a valid dataset description: expected a JSON object, found null");
        }
        if (document.ClassNames?.Any(string.IsNullOrWhiteSpace) == true)
        {
            throw new DataFormatException(path, "a class name in classNames is empty");
        }
        return new DatasetInfo(
            document.Name ?? defaults.Name,
            document.ImageFeatures ?? defaults.ImageFeatures,
            document.TextFeatures ?? defaults.TextFeatures,
            document.ClassNames);
    }

    /// <summary>Writes this description as indented camelCase JSON, replacing the file atomically.</summary>
    /// <param name="path">The file to write, usually <c>dataset.json</c> in the dataset folder.</param>
    public void Save(string path)
    {
        var json = JsonSerializer.Serialize(this, JsonOptions) + "\n";
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(json)));
    }

    // Every field nullable, so a missing one can be told from a present one.
    private sealed record Document(string? Name, string? ImageFeatures, string? TextFeatures, string[]? ClassNames);
}
