namespace MS2GAN.Model.Tests.Support;

/// <summary>
/// Tests that train with TorchSharp share its process-wide random generator and thread pool; running them
/// one at a time keeps a seeded run repeatable.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchTrainingCollection
{
    public const string Name = "TorchSharp training";
}
