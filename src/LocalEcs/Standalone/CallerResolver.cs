using System.Net;

namespace Mirage.LocalEcs.Standalone;

/// <summary>
/// Finds the container a request is about among the engine's running containers: by the identifier in the path
/// (exact name, then id prefix, then part of a name), else by the caller's source address. Unlike the ECS local
/// container endpoints, an identifier that matches nothing is an error rather than a silent fallback to the
/// address, and several candidates are an error that lists them.
/// </summary>
public static class CallerResolver
{
    public static CallerResolution Resolve(IReadOnlyList<EngineContainer> running, string? identifier, IPAddress caller, string? hostname)
    {
        var self = Self(running, hostname);
        var others = self is null ? running : [.. running.Where(c => c.Id != self.Id)];
        var address = Normalize(caller);
        var fromThisHost = IPAddress.IsLoopback(address);
        // With the endpoints in a container, only its own networks count: an address can repeat across networks.
        var networks = self is null ? null : NetworksOf(self);

        if (!string.IsNullOrEmpty(identifier))
        {
            var named = ByIdentifier(others, identifier);
            if (named.Count == 0)
            {
                return CallerResolution.NotFound($"no running container is named '{identifier}', has an id starting with it, or has it in its name");
            }
            if (named.Count > 1 && !fromThisHost)
            {
                var atAddress = named.Where(c => c.HasAddress(address.ToString(), networks)).ToList();
                named = atAddress.Count > 0 ? atAddress : named;
            }
            return named.Count == 1
                ? CallerResolution.Found(named[0])
                : CallerResolution.Ambiguous($"'{identifier}' matches {named.Count} running containers ({List(named)}); use a longer part of the name or the full name");
        }
        if (fromThisHost)
        {
            return CallerResolution.NotFound("a request from this host has no container address to be matched by; name the container in the path, as in /v4/containers/NAME");
        }
        var matches = others.Where(c => c.HasAddress(address.ToString(), networks)).ToList();
        return matches.Count switch
        {
            1 => CallerResolution.Found(matches[0]),
            0 => CallerResolution.NotFound($"no running container has the address {address}; call from a container on a network the endpoints listen on, or name the container in the path, as in /v4/containers/NAME"),
            _ => CallerResolution.Ambiguous($"{matches.Count} running containers have the address {address} on different networks ({List(matches)}); name the container in the path, as in /v4/containers/NAME"),
        };
    }

    /// <summary>True when <paramref name="caller"/> may be vended credentials: this host, or a running container.</summary>
    public static bool IsKnownCaller(IReadOnlyList<EngineContainer> running, IPAddress caller)
    {
        var address = Normalize(caller);
        return IPAddress.IsLoopback(address) || running.Any(c => c.HasAddress(address.ToString()));
    }

    /// <summary>The containers of the caller's task: its Compose project (without the endpoints' own container), or itself alone.</summary>
    public static IReadOnlyList<EngineContainer> TaskOf(EngineContainer caller, IReadOnlyList<EngineContainer> running, string? hostname)
    {
        if (caller.ComposeProject is not { } project)
        {
            return [caller];
        }
        var self = Self(running, hostname);
        return [.. running.Where(c => c.ComposeProject == project && c.Id != self?.Id)];
    }

    private static List<EngineContainer> ByIdentifier(IReadOnlyList<EngineContainer> containers, string identifier)
    {
        var exact = containers.Where(c => c.Names.Contains(identifier, StringComparer.Ordinal)).ToList();
        if (exact.Count > 0)
        {
            return exact;
        }
        var byId = containers.Where(c => c.Id.StartsWith(identifier, StringComparison.Ordinal)).ToList();
        return byId.Count > 0 ? byId : [.. containers.Where(c => c.Names.Any(n => n.Contains(identifier, StringComparison.Ordinal)))];
    }

    /// <summary>The endpoints' own container: Docker sets HOSTNAME to the short container id.</summary>
    private static EngineContainer? Self(IReadOnlyList<EngineContainer> running, string? hostname) =>
        hostname is { Length: >= 12 } && hostname.All(Uri.IsHexDigit)
            ? running.FirstOrDefault(c => c.Id.StartsWith(hostname, StringComparison.Ordinal))
            : null;

    private static HashSet<string> NetworksOf(EngineContainer container) => new(container.Networks.Keys, StringComparer.Ordinal);

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static string List(IEnumerable<EngineContainer> containers) => string.Join(", ", containers.Select(c => c.Name).Order(StringComparer.Ordinal));
}
