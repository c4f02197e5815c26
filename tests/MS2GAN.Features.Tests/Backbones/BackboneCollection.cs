namespace MS2GAN.Features.Tests.Backbones;

/// <summary>Tests that share one <see cref="BackboneFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class BackboneCollection : ICollectionFixture<BackboneFixture>
{
    public const string Name = "Backbones";
}
