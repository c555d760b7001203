namespace Mirage.Aws.Tests.Moto;

/// <summary>Test classes that share the moto server; they run one after another because each resets moto.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoFixture>
{
    public const string Name = "moto";
}
