using MS2GAN.Model.Registry;

namespace MS2GAN.Trainer.Tests;

public sealed class ModelRegistryTests
{
    [Fact]
    public void A_new_registry_is_empty_and_an_update_is_seen_by_another_instance()
    {
        using var folder = new TempFolder();
        var writer = new ModelRegistry(folder.Path);
        Assert.Null(writer.Read().Active);
        Assert.Empty(writer.Read().Models);

        writer.Update(s => s.With(Entry("v1", writer.Relative(Path.Combine(folder.Path, "versions", "a")))) with { Active = "v1" });

        var reader = new ModelRegistry(folder.Path);
        Assert.Equal("v1", reader.Read().Active);
        Assert.Equal(Path.Combine("versions", "a"), reader.Read().Find("v1")!.Directory);
        Assert.Equal(Path.Combine(folder.Path, "versions", "a"), reader.DirectoryOf("v1"));
        writer.Update(s => s with { Active = "v2" });
        Assert.Equal("v2", reader.Read().Active);
    }

    [Fact]
    public void Folders_outside_the_root_are_kept_absolute_and_not_owned()
    {
        using var folder = new TempFolder();
        using var elsewhere = new TempFolder();
        var registry = new ModelRegistry(folder.Path);

        Assert.Equal(elsewhere.Path, registry.Relative(elsewhere.Path));
        Assert.False(registry.Owns(elsewhere.Path));
        Assert.True(registry.Owns(registry.NewModelFolder()));
    }

    [Fact]
    public async Task Concurrent_updates_from_two_instances_lose_nothing()
    {
        using var folder = new TempFolder();
        var a = new ModelRegistry(folder.Path);
        var b = new ModelRegistry(folder.Path);

        await Task.WhenAll(
            Task.Run(() => { for (var i = 0; i < 40; i++) { a.Update(s => s.With(Entry($"a{i}", "x"))); } }),
            Task.Run(() => { for (var i = 0; i < 40; i++) { b.Update(s => s.With(Entry($"b{i}", "x"))); } }));

        Assert.Equal(80, new ModelRegistry(folder.Path).Read().Models.Count);
    }

    [Fact]
    public void A_damaged_registry_file_is_reported_with_its_path()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, ModelRegistry.FileName), "{ not json");

        var error = Assert.Throws<InvalidDataException>(() => new ModelRegistry(folder.Path).Read());

        Assert.Contains(Path.Combine(folder.Path, ModelRegistry.FileName), error.Message);
    }

    [Fact]
    public void An_unknown_version_names_the_registry()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<KeyNotFoundException>(() => new ModelRegistry(folder.Path).DirectoryOf("nope"));
        Assert.Contains("model version nope is not in the registry", error.Message);
    }

    private static RegisteredModel Entry(string version, string directory) => new()
    {
        Version = version,
        Directory = directory,
        Stage = ModelStage.Candidate,
        RegisteredAt = DateTimeOffset.UtcNow,
    };
}
