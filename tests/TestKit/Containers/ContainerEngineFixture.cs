using Xunit;

namespace Mirage.TestKit.Containers;

/// <summary>One <see cref="ContainerEngine"/> per test class; each test calls <see cref="RequireEngine"/> first.</summary>
public sealed class ContainerEngineFixture : IAsyncLifetime
{
    public const string Image = ContainerEngine.Image;

    private ContainerEngine? _engine;

    public string DockerHost => Engine.DockerHost;

    public string? Problem => Engine.Problem;

    private ContainerEngine Engine => _engine ?? throw new InvalidOperationException("the engine fixture is not initialized");

    public async ValueTask InitializeAsync() => _engine = await ContainerEngine.StartAsync(TestContext.Current.CancellationToken);

    /// <summary>Fails the test (never skips it) with the reason there is no engine.</summary>
    public void RequireEngine() => Engine.RequireEngine();

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}
