using Mirage.LocalEcs.Runtimes;
using Mirage.LocalEcs.TaskDefinitions;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Tests;

public sealed class TaskDefinitionCatalogTests
{
    [Fact]
    public async Task Families_revisions_and_arns_resolve()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("web.json", TaskDefinitionsForTests.HttpServer());
        ecs.WriteTaskDefinition("web-2.json", new { family = "web", revision = 2, containerDefinitions = new object[] { new { name = "web", command = new[] { "true" } } } });
        var catalog = ecs.Catalog;

        Assert.Equal(2, catalog.Resolve("web").Revision);
        Assert.Equal(1, catalog.Resolve("web:1").Revision);
        Assert.Equal(1, catalog.Resolve("arn:aws:ecs:eu-west-1:111111111111:task-definition/web:1").Revision);
        Assert.Equal("arn:aws:ecs:us-east-1:123456789012:task-definition/web:2", catalog.Resolve("web:2").Arn);
        var missing = Assert.Throws<TaskDefinitionNotFoundException>(() => catalog.Resolve("web:3"));
        Assert.Contains("known: web:1, web:2", missing.Message, StringComparison.Ordinal);
        Assert.Throws<TaskDefinitionNotFoundException>(() => catalog.Resolve("web:latest"));
        Assert.Throws<TaskDefinitionNotFoundException>(() => catalog.Resolve("arn:aws:ecs:us-east-1:123456789012:task/web:1"));
    }

    [Fact]
    public async Task Describe_gives_containers_ports_and_log_configuration()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("full.json", new
        {
            taskDefinition = new
            {
                family = "full",
                cpu = "1 vCPU",
                memory = "2 GB",
                taskRoleArn = "arn:aws:iam::123456789012:role/app",
                containerDefinitions = new object[]
                {
                    new
                    {
                        name = "nginx", command = new[] { "nginx" }, portMappings = new[] { new { containerPort = 80 }, new { containerPort = 443 } },
                        logConfiguration = new { logDriver = "awslogs", options = new Dictionary<string, string> { ["awslogs-group"] = "/ecs/full" } },
                    },
                    new { name = "app", essential = false, command = new[] { "app" } },
                },
            },
        });

        var info = await ecs.Backend.DescribeTaskDefinitionAsync("full", TestContext.Current.CancellationToken);
        var definition = ecs.Catalog.Resolve("full");

        Assert.Equal("full:1", info.ShortName);
        Assert.Equal([80, 443], info.Containers[0].ContainerPorts);
        Assert.True(info.Containers[0].Essential);
        Assert.False(info.Containers[1].Essential);
        Assert.Equal("/ecs/full", info.Containers[0].LogConfiguration!.Options["awslogs-group"]);
        Assert.Equal((1024, 2048), (definition.Cpu!.Value, definition.Memory!.Value));
        Assert.Equal("arn:aws:iam::123456789012:role/app", definition.TaskRoleArn);
    }

    [Theory]
    [InlineData("{ \"containerDefinitions\": [] }", "\"family\" is required")]
    [InlineData("{ \"family\": \"x\" }", "needs at least one container")]
    [InlineData("{ \"family\": \"x\", \"containerDefinitions\": [{ \"name\": \"a\", \"image\": \"nginx\" }] }", "container 'a' has neither entryPoint nor command")]
    [InlineData("{ \"family\": \"x\", \"containerDefinitions\": [{ \"name\": \"a\", \"command\": [\"a\"], \"essential\": false }] }", "at least one container must be essential")]
    [InlineData("{ \"family\": \"x\", \"containerDefinitions\": [{ \"name\": \"a\", \"command\": [\"a\"], \"portMappings\": [{ \"containerPort\": 53, \"protocol\": \"udp\" }] }] }", "only tcp port mappings")]
    [InlineData("{ \"family\": \"x\", \"cpu\": \"lots\", \"containerDefinitions\": [{ \"name\": \"a\", \"command\": [\"a\"] }] }", "task cpu 'lots' is not a number")]
    [InlineData("{ \"family\": \"x\", \"containerDefinitions\": [{ \"name\": \"a/b\", \"command\": [\"a\"] }] }", "containerDefinitions[0].name is required")]
    [InlineData("[1, 2]", "must hold one JSON object")]
    [InlineData("{ \"family\": ", "not valid JSON")]
    public async Task Invalid_files_are_reported_with_what_to_fix(string json, string expected)
    {
        await using var ecs = new LocalEcsHarness();
        File.WriteAllText(Path.Combine(ecs.Options.TaskDefinitionsFolder, "bad.json"), json);

        var (definitions, errors) = ecs.Catalog.LoadAll();

        Assert.Empty(definitions);
        var error = Assert.Single(errors);
        Assert.StartsWith("bad.json: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        var notFound = Assert.Throws<TaskDefinitionNotFoundException>(() => ecs.Catalog.Resolve("x"));
        Assert.Contains(expected, notFound.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_larger_than_the_limit_is_reported_and_the_others_still_load()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("web.json", TaskDefinitionsForTests.HttpServer());
        // A JSON object padded past the limit: never read whole, never parsed.
        File.WriteAllText(Path.Combine(ecs.Options.TaskDefinitionsFolder, "huge.json"), "{\"family\": \"" + new string('x', Mirage.Model.Configuration.FileLimits.MaxBytes) + "\"}");

        var (definitions, errors) = ecs.Catalog.LoadAll();

        Assert.Equal("web", Assert.Single(definitions).Family);
        Assert.Equal("huge.json: the file is larger than 4 MiB, the most Mirage reads of one file; split it or remove what is not needed", Assert.Single(errors));
    }

    [Fact]
    public async Task Two_files_with_one_family_and_revision_are_reported()
    {
        await using var ecs = new LocalEcsHarness();
        ecs.WriteTaskDefinition("a.json", TaskDefinitionsForTests.HttpServer());
        ecs.WriteTaskDefinition("b.json", TaskDefinitionsForTests.HttpServer());

        var (definitions, errors) = ecs.Catalog.LoadAll();

        Assert.Single(definitions);
        Assert.Contains("web:1 is also defined in a.json", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void The_example_task_definitions_of_the_repository_are_valid()
    {
        var folder = Path.Combine(RepositoryRoot(), "deploy", "local", "task-definitions");
        var options = new LocalEcsOptions { TaskDefinitionsFolder = folder };
        var catalog = new TaskDefinitionCatalog(Microsoft.Extensions.Options.Options.Create(options), LocalRuntimeChoice.Of("process", options, null, TimeProvider.System));

        var (definitions, errors) = catalog.LoadAll();

        Assert.Empty(errors);
        Assert.Contains(definitions, d => d.Family == "python-http");
    }

    [Fact]
    public async Task The_shell_env_example_runs_serves_and_logs_its_launch_parameters()
    {
        await using var ecs = new LocalEcsHarness(o => o.TaskDefinitionsFolder = Path.Combine(RepositoryRoot(), "deploy", "local", "task-definitions"));

        var task = await ecs.RunAsync("shell-env", overrides: [new ContainerOverride("web", [new EnvironmentVariable("GIT_BRANCH", "feature/x"), new EnvironmentVariable("SUBDOMAIN", "x")])]);
        var running = await ecs.WaitRunningAsync(task.Arn);
        var port = running.Ports.Single().HostPort;
        var logs = await ecs.WaitForLogAsync(task.Arn, "migrations done");

        Assert.Contains(logs, l => l.Container == "web" && l.Message == $"branch=feature/x subdomain=x port={port}");
        Assert.Contains(logs, l => l.Container == "migrate" && l.Message == $"migrations done for no branch; the app listens on 127.0.0.1:{port}");
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Mirage.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Mirage.sln not found above the test output folder");
    }
}
