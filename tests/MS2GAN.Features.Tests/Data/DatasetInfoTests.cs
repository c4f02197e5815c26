using MS2GAN.Features.Data;

namespace MS2GAN.Features.Tests.Data;

public sealed class DatasetInfoTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Defaults_to_the_folder_name_and_precomputed_features_without_dataset_json()
    {
        var info = DatasetInfo.Load(_folder.Path + Path.DirectorySeparatorChar);

        Assert.Equal(new DatasetInfo(Path.GetFileName(_folder.Path), "precomputed", "precomputed", null), info);
    }

    [Fact]
    public void Saves_camel_case_json_that_loads_back()
    {
        var info = new DatasetInfo("wiki", "resnet18", "all-MiniLM-L6-v2", ["art", "biology"]);
        var path = _folder.File(DatasetInfo.FileName);

        info.Save(path);
        var loaded = DatasetInfo.Load(_folder.Path);

        var json = File.ReadAllText(path);
        Assert.Contains("\"imageFeatures\": \"resnet18\"", json, StringComparison.Ordinal);
        Assert.Contains("\"classNames\": [", json, StringComparison.Ordinal);
        Assert.Equal((info.Name, info.ImageFeatures, info.TextFeatures), (loaded.Name, loaded.ImageFeatures, loaded.TextFeatures));
        Assert.Equal(info.ClassNames!, loaded.ClassNames!);
    }

    [Fact]
    public void Fills_fields_missing_from_dataset_json_with_defaults()
    {
        File.WriteAllText(_folder.File(DatasetInfo.FileName), """{ "imageFeatures": "resnet18" }""");

        var info = DatasetInfo.Load(_folder.Path);

        Assert.Equal(new DatasetInfo(Path.GetFileName(_folder.Path), "resnet18", "precomputed", null), info);
    }

    [Theory]
    [InlineData("{ \"name\": ")]
    [InlineData("null")]
    [InlineData("{ \"classNames\": \"art\" }")]
    public void Reports_an_invalid_dataset_json(string json)
    {
        var path = _folder.File(DatasetInfo.FileName);
        File.WriteAllText(path, json);

        DataAssert.Fails(path, "not a valid dataset description", () => DatasetInfo.Load(_folder.Path));
    }
}
