using MS2GAN.Features.Data;

namespace MS2GAN.Features.Tests.Data;

/// <summary>The real benchmark in shared/data/wikipedia; skipped with the reason when it is absent.</summary>
public sealed class WikipediaDatasetTests
{
    [WikipediaDataFact]
    public void Loads_the_wikipedia_benchmark_with_its_published_shapes()
    {
        var dataset = FeatureDatasetLoader.Load(WikipediaDataFactAttribute.RequiredFolder);

        Assert.Equal((2173, 128), (dataset.Train.Image.Rows, dataset.Train.Image.Columns));
        Assert.Equal((2173, 10), (dataset.Train.Text.Rows, dataset.Train.Text.Columns));
        Assert.Equal(2173, dataset.Train.Labels.Length);
        Assert.Equal((693, 128), (dataset.Test.Image.Rows, dataset.Test.Image.Columns));
        Assert.Equal((693, 10), (dataset.Test.Text.Rows, dataset.Test.Text.Columns));
        Assert.Equal(693, dataset.Test.Labels.Length);
        Assert.Equal(10, dataset.ClassCount);
        Assert.Equal("wikipedia", dataset.Info.Name);
    }

    [WikipediaDataFact]
    public void Reads_the_column_major_features_so_each_row_sums_to_one()
    {
        // The feature files are Fortran-ordered; the histograms and topic proportions only sum to 1
        // per row when the reader transposes them correctly.
        var dataset = FeatureDatasetLoader.Load(WikipediaDataFactAttribute.RequiredFolder);

        foreach (var matrix in new[] { dataset.Train.Image, dataset.Train.Text, dataset.Test.Image, dataset.Test.Text })
        {
            for (var row = 0; row < matrix.Rows; row++)
            {
                var sum = 0.0;
                foreach (var value in matrix.Row(row))
                {
                    sum += value;
                }
                Assert.InRange(sum, 0.999, 1.001);
            }
        }
    }

    [WikipediaDataFact]
    public void Writes_labels_byte_for_byte_as_numpy_did()
    {
        var original = Path.Combine(WikipediaDataFactAttribute.RequiredFolder, "train_labels.npy");
        using var folder = new TempFolder();
        var copy = folder.File("train_labels.npy");

        NpyWriter.Write(copy, NpyReader.ReadLabels(original));

        Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(copy));
    }
}
