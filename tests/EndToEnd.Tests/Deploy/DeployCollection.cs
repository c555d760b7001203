namespace Mirage.EndToEnd.Tests.Deploy;

/// <summary>The image and Compose tests share one built image, and run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class DeployCollection : ICollectionFixture<MirageImage>
{
    public const string Name = "deploy image";
}
