namespace Mirage.LocalEcs.Tests;

/// <summary>Task definitions (register-task-definition JSON shapes) used by the tests.</summary>
internal static class TaskDefinitionsForTests
{
    public static object HttpServer(string family = "web", int containerPort = 8080) => new
    {
        family,
        containerDefinitions = new object[]
        {
            new
            {
                name = "web",
                image = "python:3",
                command = new[] { "/usr/bin/python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1" },
                portMappings = new[] { new { containerPort } },
                memory = 128,
                cpu = 256,
            },
        },
    };

    public static object Shell(string family, string script, bool essential = true, int? stopTimeout = null, object[]? environment = null) => new
    {
        family,
        containerDefinitions = new object[]
        {
            new
            {
                name = "app",
                essential,
                entryPoint = new[] { "/bin/sh", "-c" },
                command = new[] { script },
                environment = environment ?? [],
                stopTimeout,
            },
        },
    };
}
