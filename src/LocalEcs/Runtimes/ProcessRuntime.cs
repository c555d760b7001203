using Mirage.LocalEcs.Logs;
using Mirage.LocalEcs.Processes;
using Mirage.LocalEcs.TaskDefinitions;
using Mirage.LocalEcs.Tasks;

namespace Mirage.LocalEcs.Runtimes;

/// <summary>
/// Runs each container as a local process on the host: <c>entryPoint</c> + <c>command</c> is the argv, ports are
/// host ports on 127.0.0.1, output goes to files under the state folder. Processes outlive a Mirage crash and are
/// re-attached by pid and start time.
/// </summary>
internal sealed class ProcessRuntime(LocalEcsOptions options, TimeProvider time) : IContainerRuntime
{
    public const string RuntimeName = "process";

    public string Name => RuntimeName;

    public bool ContainersSeeContainerPorts => false;

    public IReadOnlyList<LocalContainerDefinition> StartOrder(LocalTaskDefinition definition) => definition.Containers;

    public Uri EndpointForContainers(Uri endpoint) => endpoint;

    public Task<IContainerHandle> StartAsync(ContainerStart start, CancellationToken cancellationToken)
    {
        var definition = start.Definition;
        if (start.Argv.Count == 0 || string.IsNullOrWhiteSpace(start.Argv[0]))
        {
            throw new ContainerStartException($"CannotStartContainerError: container {definition.Name} has neither entryPoint nor command; the process runtime needs the program to run");
        }
        string workingDirectory;
        try
        {
            workingDirectory = ResolveWorkingDirectory(definition, start.Task.Definition.SourceFile);
            _ = ResolveExecutable(start.Argv[0], workingDirectory, start.Environment);
        }
        catch (InvalidTaskDefinitionException ex)
        {
            throw new ContainerStartException($"CannotStartContainerError: container {definition.Name}: {ex.Message}");
        }
        var stdout = Path.Combine(start.LogFolder, definition.Name + ".stdout.log");
        var stderr = Path.Combine(start.LogFolder, definition.Name + ".stderr.log");
        File.WriteAllBytes(stdout, []);
        File.WriteAllBytes(stderr, []);
        var process = ContainerProcess.Start(new ProcessLaunch(start.Argv, start.Environment, workingDirectory, stdout, stderr));
        IContainerHandle handle = new ProcessContainerHandle(process, [Tail(stdout, definition.Name, start.Logs, time), Tail(stderr, definition.Name, start.Logs, time)]);
        return Task.FromResult(handle);
    }

    public Task<AdoptedContainer> AdoptAsync(LocalTaskSnapshot task, LocalContainerSnapshot container, LogBuffer logs, CancellationToken cancellationToken) =>
        Task.FromResult(Adopt(task, container, logs, cancellationToken));

    public Task ReleaseAsync(LocalTaskSnapshot task, CancellationToken cancellationToken) => Task.CompletedTask;

    private AdoptedContainer Adopt(LocalTaskSnapshot task, LocalContainerSnapshot container, LogBuffer logs, CancellationToken cancellationToken)
    {
        if (container.Pid is not { } pid || container.StartTicks is not { } ticks)
        {
            // Mirage may have died between starting the process and journaling its pid: find it by the
            // metadata URI only this task's container has, so it is re-attached rather than left running unknown.
            if (ProcFs.FindLeadersByEnvironment("ECS_CONTAINER_METADATA_URI_V4", $"/v4/{task.TaskId}/{container.Name}") is [var orphan])
            {
                (pid, ticks) = (orphan.Pid, orphan.StartTicks);
                container = container with { Pid = orphan.Pid, StartTicks = orphan.StartTicks };
            }
            else
            {
                return new AdoptedContainer(container, null, "not started: Mirage stopped while the task was starting", NeverStarted: true);
            }
        }
        if (!ProcFs.IsAlive(pid, ticks))
        {
            return new AdoptedContainer(container, null, "the process exited while Mirage was not running (exit code unknown)");
        }
        var process = ContainerProcess.Adopt(pid, ticks, time, options.PollInterval, cancellationToken);
        var logFolder = Path.Combine(options.LogFolder, task.TaskId);
        var tails = new[]
        {
            Tail(Path.Combine(logFolder, container.Name + ".stdout.log"), container.Name, logs, time),
            Tail(Path.Combine(logFolder, container.Name + ".stderr.log"), container.Name, logs, time),
        };
        foreach (var tail in tails)
        {
            tail.SkipExisting();
        }
        return new AdoptedContainer(container, new ProcessContainerHandle(process, tails), null);
    }

    private LogFileTail Tail(string path, string container, LogBuffer logs, TimeProvider clock) =>
        new(path, container, logs, clock, options.LogFileMaxBytes);

    private static string ResolveWorkingDirectory(LocalContainerDefinition definition, string sourceFile)
    {
        if (definition.WorkingDirectory is null)
        {
            return Environment.CurrentDirectory;
        }
        var folder = Path.GetFullPath(definition.WorkingDirectory, Path.GetDirectoryName(sourceFile) ?? Environment.CurrentDirectory);
        return Directory.Exists(folder)
            ? folder
            : throw new InvalidTaskDefinitionException($"workingDirectory '{folder}' does not exist");
    }

    /// <summary>Checks the program exists before starting it, so a typo fails the task with a clear reason.</summary>
    private static string ResolveExecutable(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(program, workingDirectory);
            return File.Exists(path) ? path : throw new InvalidTaskDefinitionException($"executable '{path}' does not exist");
        }
        var searchPath = environment.TryGetValue("PATH", out var value) ? value : "/usr/local/bin:/usr/bin:/bin";
        foreach (var folder in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidTaskDefinitionException($"executable '{program}' is not found in PATH ({searchPath})");
    }
}
