using MS2GAN.Features.Demo;
using MS2GAN.Ingest;

namespace MS2GAN.Host.Serve;

/// <summary>The items of a generated demo dataset (captions.tsv and media/*.png) as ingest requests.</summary>
public static class DemoCorpus
{
    /// <summary>Whether the folder holds a demo dataset.</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, DemoDataGenerator.CaptionsFile));

    /// <summary>One ingest request per demo item: caption, image and class label.</summary>
    public static IEnumerable<ItemRequest> Read(string directory)
    {
        foreach (var line in File.ReadLines(Path.Combine(directory, DemoDataGenerator.CaptionsFile)).Skip(1))
        {
            var fields = line.Split('\t');
            if (fields.Length < 5)
            {
                throw new InvalidDataException($"{Path.Combine(directory, DemoDataGenerator.CaptionsFile)}: expected 5 tab-separated fields in \"{line}\"");
            }
            var image = File.ReadAllBytes(Path.Combine(directory, DemoDataGenerator.MediaFolder, fields[0] + ".png"));
            yield return new ItemRequest
            {
                Id = fields[0],
                Text = fields[4],
                Image = Convert.ToBase64String(image),
                Labels = [fields[2]],
                Metadata = new Dictionary<string, string> { ["split"] = fields[3] },
            };
        }
    }
}
