namespace MS2GAN.Model.Tests;

public sealed class NamedConfigurationTests
{
    [Fact]
    public void A_named_configuration_is_its_fields_over_the_defaults()
    {
        var quick = NamedConfigurations.Get("quick");

        Assert.Equal(5, quick.Epochs);
        Assert.Equal(0, quick.Patience);
        Assert.Equal((new Ms2GanConfig() with { Epochs = 5, Patience = 0, Refit = false }).ToJson(), quick.ToJson());
    }

    [Fact]
    public void The_default_configuration_is_the_defaults()
    {
        Assert.Contains(NamedConfigurations.Default, NamedConfigurations.Names);
        Assert.Equal(new Ms2GanConfig().ToJson(), NamedConfigurations.Get(NamedConfigurations.Default).ToJson());
    }

    [Fact]
    public void An_unknown_name_is_refused_naming_it_and_the_known_names()
    {
        var ex = Assert.Throws<ConfigException>(() => NamedConfigurations.Get("fastest"));

        Assert.Contains("'fastest'", ex.Message);
        Assert.Contains("default", ex.Message);
        Assert.Contains("quick", ex.Message);
        Assert.Equal(["config"], ex.Errors.Keys);
    }

    [Fact]
    public void Overrides_go_over_the_named_configuration()
    {
        var composed = NamedConfigurations.Compose("quick", """{ "epochs": 9, "batchSize": 32 }""");

        Assert.Equal(9, composed.Epochs);
        Assert.Equal(32, composed.BatchSize);
        Assert.Equal(0, composed.Patience);   // from quick
        Assert.Equal(new Ms2GanConfig().LearningRate, composed.LearningRate);
    }

    [Fact]
    public void An_override_of_an_unknown_field_is_refused_naming_the_field()
    {
        var ex = Assert.Throws<ConfigException>(() => NamedConfigurations.Compose(null, """{ "epoch": 9 }"""));

        Assert.Contains("epoch", ex.Message);
        Assert.Equal(["epoch"], ex.Errors.Keys);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_refused_naming_the_field()
    {
        var ex = Assert.Throws<ConfigException>(() => NamedConfigurations.Compose(null, """{ "batchSize": "large" }"""));

        Assert.Equal(["batchSize"], ex.Errors.Keys);
    }

    [Fact]
    public void Values_that_do_not_validate_are_refused_each_under_its_field()
    {
        var ex = Assert.Throws<ConfigException>(() => NamedConfigurations.Compose(null, """{ "batchSize": -1, "dropout": 1.5, "specificHidden": [64, -1], "jointWeight": -1, "weightMargin": -0.1 }"""));

        Assert.Equal(["batchSize", "dropout", "jointWeight", "specificHidden", "weightMargin"], ex.Errors.Keys.Order());
        Assert.Contains("batchSize must be zero or positive", ex.Message);
    }

    [Fact]
    public void Overrides_that_are_not_a_json_object_are_refused()
    {
        Assert.Contains("must be a JSON object", Assert.Throws<ConfigException>(() => NamedConfigurations.Compose(null, "[1, 2]")).Message);
        Assert.Contains("not valid JSON", Assert.Throws<ConfigException>(() => NamedConfigurations.Compose(null, "{ epochs: ")).Message);
    }

    [Fact]
    public void A_configuration_file_names_the_file_and_the_field()
    {
        using var folder = new TempFolder();
        var path = folder.File("config.json");
        File.WriteAllText(path, """{ "learningRate": -1 }""");

        var ex = Assert.Throws<ConfigException>(() => Ms2GanConfig.Load(path));

        Assert.StartsWith(path, ex.Message);
        Assert.Equal(["learningRate"], ex.Errors.Keys);
    }
}
