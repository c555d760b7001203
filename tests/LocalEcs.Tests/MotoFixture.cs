using Mirage.TestKit;

namespace Mirage.LocalEcs.Tests;

/// <summary>
/// One moto server for the credentials tests. Mirage's own base credentials come from the environment
/// (<c>testing</c>/<c>testing</c>, as moto expects); LocalEcs strips them from what its tasks inherit.
/// </summary>
public sealed class MotoFixture : IAsyncLifetime
{
    public MotoServer Moto { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "testing");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "testing");
        Moto = await MotoServer.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await Moto.DisposeAsync();
}
