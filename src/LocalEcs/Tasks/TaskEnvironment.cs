using System.Collections;
using System.Globalization;
using Mirage.LocalEcs.TaskDefinitions;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Tasks;

/// <summary>
/// Builds a container's environment: an allow-list of Mirage's own environment (where programs are, the user's home
/// and locale), then what ECS injects (region, metadata and credentials URIs), then the ports, then the task
/// definition's <c>environment</c>, then the RunTask overrides; later entries win.
/// </summary>
internal static class TaskEnvironment
{
    /// <summary>
    /// Inherited by name: what a program needs to start and to behave as on this machine, and nothing that could be a
    /// secret. Everything else of Mirage's (AWS keys and profiles, tokens, MIRAGE_* settings, whatever the operator's
    /// shell exports) stays with Mirage; a task that needs more sets it in its task definition, as on ECS.
    /// DOTNET_ROOT is a path: the mirage executable (the demo task) needs it when .NET is not in its default folder.
    /// </summary>
    private static readonly string[] InheritedNames = ["PATH", "HOME", "LANG", "TZ", "TMPDIR", "DOTNET_ROOT"];

    /// <summary>Locale categories (LC_ALL, LC_CTYPE, ...): like LANG they only choose how text is encoded and formatted.</summary>
    private const string LocalePrefix = "LC_";

    public static IReadOnlyDictionary<string, string> InheritedFromMirage() => Inherited(Environment.GetEnvironmentVariables());

    /// <summary>The allowed part of <paramref name="environment"/> (a process environment).</summary>
    public static IReadOnlyDictionary<string, string> Inherited(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var inherited = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in environment)
        {
            var name = (string)entry.Key;
            if (InheritedNames.Contains(name, StringComparer.Ordinal) || name.StartsWith(LocalePrefix, StringComparison.Ordinal))
            {
                inherited[name] = entry.Value as string ?? "";
            }
        }
        return inherited;
    }

    public static Dictionary<string, string> Build(
        IReadOnlyDictionary<string, string> inherited,
        LocalTaskSnapshot task,
        LocalContainerDefinition container,
        Uri endpoint,
        string authorizationToken,
        string region,
        bool containerPorts = false)
    {
        var environment = new Dictionary<string, string>(inherited, StringComparer.Ordinal);
        var baseUrl = endpoint.ToString().TrimEnd('/');
        environment["AWS_REGION"] = region;
        environment["AWS_DEFAULT_REGION"] = region;
        environment["ECS_CONTAINER_METADATA_URI"] = $"{baseUrl}/v3/{task.TaskId}/{container.Name}";
        environment["ECS_CONTAINER_METADATA_URI_V4"] = $"{baseUrl}/v4/{task.TaskId}/{container.Name}";
        environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = $"{baseUrl}/creds/{task.TaskId}";
        environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = authorizationToken;

        var (own, all) = PortsFor(task, container.Name, containerPorts);
        foreach (var (containerPort, hostPort) in all)
        {
            environment[$"PORT_{containerPort.ToString(CultureInfo.InvariantCulture)}"] = hostPort.ToString(CultureInfo.InvariantCulture);
        }
        if (own is { } port)
        {
            environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var variable in container.Environment)
        {
            environment[variable.Name] = PortExpansion.Expand(variable.Value, own, all);
        }
        foreach (var variable in task.Overrides.Where(o => o.Name == container.Name).SelectMany(o => o.Environment))
        {
            environment[variable.Name] = PortExpansion.Expand(variable.Value, own, all);
        }
        return environment;
    }

    /// <summary>
    /// The container's first allocated port, and the ports every container of the task sees as <c>PORT_n</c>
    /// (its own mappings win over a sibling's mapping of the same container port).
    /// </summary>
    public static (int? Own, IReadOnlyDictionary<int, int> All) PortsFor(LocalTaskSnapshot task, string containerName, bool containerPorts = false)
    {
        if (containerPorts)
        {
            // One network namespace per task: every container reaches every mapped port at its container port.
            var own = task.Containers.First(c => c.Name == containerName).Ports;
            return (own.Count > 0 ? own[0].ContainerPort : null, task.Ports.GroupBy(p => p.ContainerPort).ToDictionary(g => g.Key, g => g.Key));
        }
        var all = new Dictionary<int, int>();
        foreach (var binding in task.Ports.Where(p => p.ContainerName != containerName))
        {
            all.TryAdd(binding.ContainerPort, binding.HostPort);
        }
        var ownBindings = task.Containers.First(c => c.Name == containerName).Ports;
        foreach (var binding in ownBindings)
        {
            all[binding.ContainerPort] = binding.HostPort;
        }
        return (ownBindings.Count > 0 ? ownBindings[0].HostPort : null, all);
    }
}
