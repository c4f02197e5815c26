namespace MS2GAN.Integration.Tests;

/// <summary>
/// The tests over RabbitMQ share one trained model and run one at a time: each starts the whole pipeline,
/// and on a small machine two at once would measure each other rather than the pipeline.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RabbitMqCollection : ICollectionFixture<FeatureModelFixture>
{
    public const string Name = "RabbitMQ pipeline";
}
