using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mirage.LocalEcs.Runtimes;
using Mirage.TestKit.Containers;

namespace Mirage.LocalEcs.Tests.Containers;

/// <summary><c>local.runtime: auto</c> is decided when the host starts, by pinging the one engine client.</summary>
public sealed class RuntimeSelectionTests(ContainerEngineFixture engine) : IClassFixture<ContainerEngineFixture>
{
    [Fact]
    public async Task Auto_is_the_docker_runtime_when_the_engine_answers_and_is_chosen_only_at_start()
    {
        engine.RequireEngine();
        using var host = Host(engine.DockerHost, out var root);
        try
        {
            var choice = host.Services.GetRequiredService<LocalRuntimeChoice>();
            Assert.Throws<InvalidOperationException>(() => choice.Name);

            await host.StartAsync(TestContext.Current.CancellationToken);

            Assert.Equal(DockerRuntime.RuntimeName, choice.Name);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Auto_is_the_process_runtime_when_no_engine_answers()
    {
        var root = Directory.CreateTempSubdirectory("localecs-auto-").FullName;
        using var host = Host("unix://" + Path.Combine(root, "no-engine.sock"), out var hostRoot);
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);

            Assert.Equal(ProcessRuntime.RuntimeName, host.Services.GetRequiredService<LocalRuntimeChoice>().Name);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            Directory.Delete(hostRoot, recursive: true);
        }
    }

    [Theory]
    [InlineData("process", false, "process")]
    [InlineData("docker", true, "docker")]
    [InlineData("auto", true, "process")]
    [InlineData("auto", false, "auto")]
    public void Configured_runtime_resolves_without_contacting_an_engine(string configured, bool builtIn, string expected)
    {
        Assert.Equal(expected, LocalRuntimeSelection.Resolve(configured, builtIn));
    }

    private static IHost Host(string dockerHost, out string root)
    {
        root = Directory.CreateTempSubdirectory("localecs-runtime-").FullName;
        var folder = Path.Combine(root, "task-definitions");
        Directory.CreateDirectory(folder);
        var state = Path.Combine(root, "state");
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddLocalEcs(o =>
        {
            o.TaskDefinitionsFolder = folder;
            o.StateFolder = state;
            o.Runtime = LocalRuntimeSelection.Auto;
            o.DockerHost = dockerHost;
        });
        return builder.Build();
    }
}
