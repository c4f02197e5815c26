using MS2GAN.Features.Data;

namespace MS2GAN.Features.Tests.Data;

public sealed class FeatureDatasetLoaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private FeatureDataset Load() => FeatureDatasetLoader.Load(_folder.Path);

    [Fact]
    public void Loads_both_splits_with_the_class_count_and_default_info()
    {
        DatasetFiles.WriteValid(_folder.Path);

        var dataset = Load();

        Assert.Equal(_folder.Path, dataset.Directory);
        Assert.Equal((5, 4), (dataset.Train.Image.Rows, dataset.Train.Image.Columns));
        Assert.Equal((5, 3), (dataset.Train.Text.Rows, dataset.Train.Text.Columns));
        Assert.Equal([0, 1, 2, 1, 0], dataset.Train.Labels);
        Assert.Equal([2, 0], dataset.Test.Labels);
        Assert.Equal(2, dataset.Test.Count);
        Assert.Equal(3, dataset.ClassCount);
        Assert.Equal(DatasetInfo.Default(_folder.Path), dataset.Info with { ClassNames = null });
        Assert.Equal(Path.GetFileName(_folder.Path), dataset.Info.Name);
    }

    [Fact]
    public void Uses_dataset_json_when_present()
    {
        DatasetFiles.WriteValid(_folder.Path);
        new DatasetInfo("toy", "resnet18", "all-MiniLM-L6-v2", ["a", "b", "c"]).Save(_folder.File(DatasetInfo.FileName));

        var info = Load().Info;

        Assert.Equal(("toy", "resnet18", "all-MiniLM-L6-v2"), (info.Name, info.ImageFeatures, info.TextFeatures));
        Assert.Equal(["a", "b", "c"], info.ClassNames!);
    }

    [Fact]
    public void Reports_class_names_that_do_not_match_the_class_count()
    {
        DatasetFiles.WriteValid(_folder.Path);
        new DatasetInfo("toy", "resnet18", "all-MiniLM-L6-v2", ["a", "b"]).Save(_folder.File(DatasetInfo.FileName));

        DataAssert.Fails(_folder.File(DatasetInfo.FileName), "lists 2 class names but the training labels have 3 classes", () => Load());
    }

    [Fact]
    public void Reports_a_missing_folder()
    {
        var missing = _folder.File("nowhere");

        DataAssert.Fails(missing, "dataset folder not found", () => FeatureDatasetLoader.Load(missing));
    }

    [Fact]
    public void Reports_a_missing_file()
    {
        DatasetFiles.WriteValid(_folder.Path);
        File.Delete(_folder.File("test_text.npy"));

        DataAssert.Fails(_folder.File("test_text.npy"), "file not found", () => Load());
    }

    [Fact]
    public void Reports_text_and_labels_of_different_lengths()
    {
        DatasetFiles.WriteValid(_folder.Path);
        NpyWriter.Write(_folder.File("train_text.npy"), DatasetFiles.Matrix(4, 3));

        DataAssert.Fails(_folder.File("train_text.npy"), "train_text.npy has 4 rows but train_labels.npy has 5", () => Load());
    }

    [Fact]
    public void Reports_images_and_labels_of_different_lengths()
    {
        DatasetFiles.WriteValid(_folder.Path);
        NpyWriter.Write(_folder.File("test_labels.npy"), [0, 1, 2]);

        DataAssert.Fails(_folder.File("test_image.npy"), "test_image.npy has 2 rows but test_labels.npy has 3", () => Load());
    }

    [Fact]
    public void Reports_train_and_test_features_of_different_dimensions()
    {
        DatasetFiles.WriteSplit(_folder.Path, "train", [0, 1], imageColumns: 128);
        DatasetFiles.WriteSplit(_folder.Path, "test", [0, 1], imageColumns: 127);

        DataAssert.Fails(_folder.File("test_image.npy"), "test_image.npy has 127 columns but train_image.npy has 128", () => Load());
    }

    [Theory]
    [InlineData(float.NaN, "row 1, column 2 is NaN")]
    [InlineData(float.PositiveInfinity, "row 1, column 2 is +infinity")]
    [InlineData(float.NegativeInfinity, "row 1, column 2 is -infinity")]
    public void Reports_non_finite_values_with_their_row_and_column(float value, string problem)
    {
        DatasetFiles.WriteValid(_folder.Path);
        var image = DatasetFiles.Matrix(5, 4);
        image.Values[(1 * 4) + 2] = value;
        NpyWriter.Write(_folder.File("train_image.npy"), image);

        DataAssert.Fails(_folder.File("train_image.npy"), problem, () => Load());
    }

    [Fact]
    public void Reports_a_class_without_training_items()
    {
        DatasetFiles.WriteSplit(_folder.Path, "train", [0, 1, 2, 4, 4]);
        DatasetFiles.WriteSplit(_folder.Path, "test", [0]);

        DataAssert.Fails(_folder.File("train_labels.npy"), "class 3 has no training items", () => Load());
    }

    [Fact]
    public void Reports_test_labels_outside_the_training_classes()
    {
        DatasetFiles.WriteSplit(_folder.Path, "train", [0, 1, 2]);
        DatasetFiles.WriteSplit(_folder.Path, "test", [1, 3]);

        DataAssert.Fails(_folder.File("test_labels.npy"), "row 1 has label 3, but the training labels only cover classes 0..2", () => Load());
    }

    [Fact]
    public void Reports_a_split_without_rows()
    {
        DatasetFiles.WriteValid(_folder.Path);
        DatasetFiles.WriteSplit(_folder.Path, "test", []);

        DataAssert.Fails(_folder.File("test_image.npy"), "has zero rows", () => Load());
    }

    [Fact]
    public void Loads_one_split_on_its_own()
    {
        DatasetFiles.WriteSplit(_folder.Path, "test", [3, 1]);

        var split = FeatureDatasetLoader.LoadSplit(_folder.Path, "test");

        Assert.Equal([3, 1], split.Labels);
        Assert.Equal(2, split.Image.Rows);
    }

    [Fact]
    public void Checks_a_split_loaded_on_its_own()
    {
        DatasetFiles.WriteSplit(_folder.Path, "train", [0, 1]);
        NpyWriter.Write(_folder.File("train_text.npy"), DatasetFiles.Matrix(3, 3));

        DataAssert.Fails(_folder.File("train_text.npy"), "train_text.npy has 3 rows but train_labels.npy has 2",
            () => FeatureDatasetLoader.LoadSplit(_folder.Path, "train"));
    }
}
