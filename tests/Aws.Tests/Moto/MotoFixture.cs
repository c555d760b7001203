using Mirage.TestKit;

namespace Mirage.Aws.Tests.Moto;

/// <summary>
/// A moto server (TestKit's <see cref="MotoServer"/>) on a free loopback port for the whole test collection, reset
/// with ECS tasks kept RUNNING until stopped.
/// </summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private MotoServer? _server;

    public int Port => Server.Port;

    public Uri Endpoint => Server.Endpoint;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    private MotoServer Server => _server ?? throw new InvalidOperationException("moto has not started");

    public async ValueTask InitializeAsync()
    {
        _server = await MotoServer.StartAsync(CancellationToken.None);
        await ResetAsync(CancellationToken.None);
    }

    /// <summary>Forgets all state and keeps ECS tasks RUNNING until they are stopped (moto advances them on every describe otherwise).</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        await Server.ResetAsync(cancellationToken);
        await Server.KeepEcsTasksRunningAsync(cancellationToken);
    }

    public string Output() => Server.Output();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
