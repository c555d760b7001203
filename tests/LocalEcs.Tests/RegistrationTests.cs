using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mirage.Model.Backend;
using Mirage.Model.Configuration;

namespace Mirage.LocalEcs.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public async Task AddLocalEcs_runs_tasks_in_a_host_and_stops_them_when_the_host_stops()
    {
        var root = Directory.CreateTempSubdirectory("localecs-host-").FullName;
        try
        {
            var folder = Path.Combine(root, "task-definitions");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "sleep.json"), """{"family":"sleep","containerDefinitions":[{"name":"app","command":["/bin/sleep","600"]}]}""");
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddLocalEcs(new LocalConfig { TaskDefinitions = folder, DataDir = Path.Combine(root, "data") }, o => o.PollInterval = TimeSpan.FromMilliseconds(50));
            using var host = builder.Build();
            await host.StartAsync(TestContext.Current.CancellationToken);

            var backend = host.Services.GetRequiredService<IEcsBackend>();
            var task = await backend.RunTaskAsync(new RunTaskRequest("sleep", [], [new EcsTag("ManagedBy", "Mirage")], "test", "token-1"), TestContext.Current.CancellationToken);
            var registry = host.Services.GetRequiredService<Tasks.LocalTaskRegistry>();
            var endpoint = await host.Services.GetRequiredService<ILocalEcsEndpointAddress>().GetBaseAddressAsync(TestContext.Current.CancellationToken);
            using (var http = new HttpClient())
            {
                using var response = await http.GetAsync(new Uri(endpoint, $"v4/{task.ShortId}/app"), TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            Assert.True(File.Exists(Path.Combine(root, "data", "localecs", "tasks", task.ShortId + ".json")));

            await host.StopAsync(TestContext.Current.CancellationToken);

            var stopped = registry.Snapshot(task.ShortId)!;
            Assert.Equal(EcsTaskStatus.Stopped, stopped.LastStatus);
            Assert.Equal("Mirage shut down", stopped.StoppedReason);
            Assert.False(Processes.ProcFs.TryReadStat(stopped.Containers.Single().Pid!.Value) is { HasExited: false });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Invalid_options_stop_the_host_at_start_with_what_to_fix()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddLocalEcs(o =>
        {
            o.TaskDefinitionsFolder = "/nonexistent/mirage-task-definitions";
            o.AccountId = "abc";
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("local.task_definitions folder '/nonexistent/mirage-task-definitions' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("account 'abc' must be 12 digits", error.Message, StringComparison.Ordinal);
    }
}
