using System.Collections;
using System.Globalization;
using Mirage.LocalEcs.TaskDefinitions;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Tasks;

/// <summary>
/// Builds a container's environment: Mirage's own environment without AWS credentials and Mirage settings, then what
/// ECS injects (region, metadata and credentials URIs), then the ports, then the task definition's
/// <c>environment</c>, then the RunTask overrides; later entries win.
/// </summary>
internal static class TaskEnvironment
{
    /// <summary>Inherited names a local task must not see: they would let its SDK skip the task's own credentials.</summary>
    private static readonly string[] StrippedNames =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION",
        "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        "ECS_CONTAINER_METADATA_URI", "ECS_CONTAINER_METADATA_URI_V4",
    ];

    public static IReadOnlyDictionary<string, string> InheritedFromMirage()
    {
        var inherited = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (!StrippedNames.Contains(name, StringComparer.Ordinal) && !name.StartsWith("MIRAGE_", StringComparison.Ordinal))
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
