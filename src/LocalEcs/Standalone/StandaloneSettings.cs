using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using Mirage.LocalEcs.Credentials;

namespace Mirage.LocalEcs.Standalone;

/// <summary>
/// Settings of <c>mirage local-endpoints</c>, from the same environment variables as the ECS local container
/// endpoints (<c>ECS_LOCAL_METADATA_PORT</c>, <c>CLUSTER_ARN</c>, <c>TASK_ARN</c>, <c>TASK_DEFINITION_FAMILY</c>,
/// <c>TASK_DEFINITION_REVISION</c>, <c>SHARED_TOKEN_EXPIRATION</c>, <c>STS_ENDPOINT</c>, the override files) plus
/// <c>TASK_TAGS</c>, and Mirage's own <c>LOCAL_ENDPOINTS_TOKEN</c> and <c>LOCAL_ENDPOINTS_HOSTNAMES</c>.
/// </summary>
public sealed record StandaloneSettings
{
    public const int DefaultPort = 80;

    /// <summary>Shorter tokens are refused: the token is all that stands between a container and the credentials.</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>Where ECS serves the endpoints, and where AWS SDKs accept a plain-HTTP credentials URI.</summary>
    public const string EcsEndpointAddress = "169.254.170.2";

    /// <summary>Every variable read here (the AWS SDK reads its own too: AWS_PROFILE, AWS_ACCESS_KEY_ID, ...).</summary>
    public static IReadOnlyList<string> Variables { get; } =
    [
        "ECS_LOCAL_METADATA_PORT", "CLUSTER_ARN", "TASK_ARN", "TASK_DEFINITION_FAMILY", "TASK_DEFINITION_REVISION", "TASK_TAGS",
        "SHARED_TOKEN_EXPIRATION", "STS_ENDPOINT", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION", "HOSTNAME",
        "CONTAINER_METADATA_PATH", "TASK_METADATA_PATH", "LOCAL_ENDPOINTS_TOKEN", "LOCAL_ENDPOINTS_HOSTNAMES",
    ];

    /// <summary>
    /// Where to listen. By default 169.254.170.2 when this host (or container) has that address, else 127.0.0.1, on
    /// <c>ECS_LOCAL_METADATA_PORT</c>; never every interface unless <c>--listen</c> says so.
    /// </summary>
    public required IReadOnlyList<IPEndPoint> Listen { get; init; }

    /// <summary>
    /// SHA-256 (hex) of <c>LOCAL_ENDPOINTS_TOKEN</c>, the value callers must send as <c>Authorization</c> on the
    /// credentials routes; null when unset, and then credentials are vended to nobody. Only the hash is kept, so the
    /// settings can be printed without the secret.
    /// </summary>
    public string? AuthorizationTokenHash { get; init; }

    /// <summary>Host names the endpoints answer to besides IP addresses and <c>localhost</c> (<c>LOCAL_ENDPOINTS_HOSTNAMES</c>).</summary>
    public IReadOnlyList<string> HostNames { get; init; } = [];

    /// <summary>The task's <c>Cluster</c> (any text, despite the variable's name).</summary>
    public string Cluster { get; init; } = "ecs-local-cluster";

    /// <summary>The task ARN; null derives a stable one per Compose project, so two projects are two tasks.</summary>
    public string? TaskArn { get; init; }

    /// <summary>The task definition family; null uses the Compose project name.</summary>
    public string? Family { get; init; }

    public string Revision { get; init; } = "1";

    public string Region { get; init; } = "us-east-1";

    public string AccountId { get; init; } = "111111111111";

    /// <summary><c>/v4/taskWithTags</c>'s <c>TaskTags</c>.</summary>
    public IReadOnlyDictionary<string, string> TaskTags { get; init; } = new Dictionary<string, string>();

    /// <summary>Expiry given to passed-through temporary base credentials whose real expiry is unknown.</summary>
    public TimeSpan SharedTokenExpiration { get; init; } = TimeSpan.FromMinutes(20);

    public string? StsServiceUrl { get; init; }

    public required string DockerHost { get; init; }

    /// <summary>Merged into the metadata answers (<c>CONTAINER_METADATA_PATH</c>, <c>TASK_METADATA_PATH</c>).</summary>
    public MetadataOverrides Overrides { get; init; } = MetadataOverrides.None;

    /// <summary>Docker sets it to the short container id: how the endpoints find their own container and networks.</summary>
    public string? Hostname { get; init; }

    /// <summary>
    /// Reads the settings. <paramref name="listen"/> (from <c>--listen</c>) replaces the default listener;
    /// <paramref name="isLocalAddress"/> tells whether this host has an address (null: ask its interfaces).
    /// </summary>
    /// <exception cref="FormatException">A setting cannot be used; the message names it and says what to write.</exception>
    public static StandaloneSettings FromEnvironment(Func<string, string?> environment, IReadOnlyList<string> listen, string dockerHost, Func<IPAddress, bool>? isLocalAddress = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Get(string name) => environment(name) is { Length: > 0 } value ? value.Trim() : null;

        var port = DefaultPort;
        if (Get("ECS_LOCAL_METADATA_PORT") is { } portText
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new FormatException($"ECS_LOCAL_METADATA_PORT '{portText}' is not a port; write a number from 1 to 65535");
        }
        var endpoints = listen.Count == 0
            ? [new IPEndPoint((isLocalAddress ?? HasLocalAddress)(IPAddress.Parse(EcsEndpointAddress)) ? IPAddress.Parse(EcsEndpointAddress) : IPAddress.Loopback, port)]
            : listen.Select(l => ParseListen(l, port)).ToList();
        // Not trimmed as the other settings: a token is compared as written.
        var token = environment("LOCAL_ENDPOINTS_TOKEN") is { Length: > 0 } written ? written : null;
        if (token is not null && (token.Length < MinimumTokenLength || token.Any(char.IsWhiteSpace)))
        {
            throw new FormatException($"LOCAL_ENDPOINTS_TOKEN must be at least {MinimumTokenLength} characters without spaces; generate one, as with `openssl rand -hex 32`");
        }
        var region = Get("AWS_REGION") ?? Get("AWS_DEFAULT_REGION") ?? "us-east-1";
        return new StandaloneSettings
        {
            Listen = endpoints,
            Cluster = Get("CLUSTER_ARN") ?? "ecs-local-cluster",
            TaskArn = Get("TASK_ARN"),
            Family = Get("TASK_DEFINITION_FAMILY"),
            Revision = Get("TASK_DEFINITION_REVISION") ?? "1",
            Region = region,
            TaskTags = ParseTags(Get("TASK_TAGS")),
            SharedTokenExpiration = Get("SHARED_TOKEN_EXPIRATION") is { } expiration ? ParseExpiration(expiration) : TimeSpan.FromMinutes(20),
            StsServiceUrl = Get("STS_ENDPOINT") ?? Get("AWS_ENDPOINT_URL_STS") ?? Get("AWS_ENDPOINT_URL"),
            DockerHost = dockerHost,
            Hostname = Get("HOSTNAME"),
            Overrides = MetadataOverrides.Load(Get("CONTAINER_METADATA_PATH"), Get("TASK_METADATA_PATH")),
            AuthorizationTokenHash = token is null ? null : AuthorizationToken.Hash(token),
            HostNames = Get("LOCAL_ENDPOINTS_HOSTNAMES") is { } names ? ParseHostNames(names) : [],
        };
    }

    private static bool HasLocalAddress(IPAddress address) =>
        NetworkInterface.GetAllNetworkInterfaces().Any(i => i.GetIPProperties().UnicastAddresses.Any(u => u.Address.Equals(address)));

    /// <summary>Comma-separated DNS names; a name is what a container's URI uses instead of the address.</summary>
    private static string[] ParseHostNames(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (Uri.CheckHostName(name) != UriHostNameType.Dns)
            {
                throw new FormatException($"LOCAL_ENDPOINTS_HOSTNAMES entry '{name}' is not a host name; write names separated by commas, as in ecs-local-endpoints,metadata.internal");
            }
        }
        return names;
    }

    /// <summary><c>ip</c>, <c>ip:port</c> or <c>[v6]:port</c>; the port defaults to <paramref name="port"/>.</summary>
    private static IPEndPoint ParseListen(string text, int port)
    {
        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            return endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, port) : endpoint;
        }
        throw new FormatException($"--listen '{text}' is not an address; write an IP address with an optional port, as in 169.254.170.2 or 127.0.0.1:51679");
    }

    /// <summary><c>key=value</c> pairs separated by commas.</summary>
    private static Dictionary<string, string> ParseTags(string? text)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text is null)
        {
            return tags;
        }
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || pair[..equals].Trim().Length == 0)
            {
                throw new FormatException($"TASK_TAGS entry '{pair}' has no key; write key=value pairs separated by commas");
            }
            tags[pair[..equals].TrimEnd()] = pair[(equals + 1)..].TrimStart();
        }
        return tags;
    }

    /// <summary>Seconds, or a Go-style duration (<c>900s</c>, <c>15m</c>, <c>1h</c>), as the seed accepts.</summary>
    private static TimeSpan ParseExpiration(string text)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        if (text.Length > 1 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(amount);
                case 'm': return TimeSpan.FromMinutes(amount);
                case 'h': return TimeSpan.FromHours(amount);
            }
        }
        throw new FormatException($"SHARED_TOKEN_EXPIRATION '{text}' is not a duration; write seconds (900) or 900s, 15m, 1h");
    }
}
