namespace Mirage.Api.Tests.LocalMode;

/// <summary>Tests that assert the README's time promises run alone, not beside other test classes competing for the CPU.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "timing";
}
