using YamlDotNet.RepresentationModel;

namespace Mirage.Model.Configuration;

/// <summary>
/// Reads the YAML tree over the defaults, key by key, the way yaml.v2 unmarshals mirage-ecs's config: keys that are
/// not in the file keep their defaults and a list given in the file replaces the default list. Unknown keys are
/// warnings; wrong types and values that cannot work are errors. Each mapping's keys live in one
/// <see cref="ConfigKeyTable{T}"/>, which both dispatches a key and lists the keys allowed in the warning.
/// </summary>
internal sealed class ConfigYamlMapper(ConfigNodeReader reader)
{
    private int? _cookieRequiredLine;

    /// <summary>The reader the key handlers read values and report errors with.</summary>
    public ConfigNodeReader Reader => reader;

    private static readonly ConfigKeyTable<MirageConfig> RootKeys = new(
        [
            ("host", static (m, e, c) => c with { Host = m.ReadHost(e.Value, c.Host) }),
            ("listen", static (m, e, c) => c with { Listen = m.ReadListen(e.Value, c.Listen) }),
            ("network", static (m, e, c) => c with { Network = m.ReadNetwork(e.Value, c.Network) }),
            ("htmldir", static (m, e, c) => c with { HtmlDir = m.Reader.String(e.Value, "htmldir") }),
            ("parameters", static (m, e, c) => c with { Parameters = m.ReadParameters(e.Value) }),
            ("ecs", static (m, e, c) => c with { Ecs = m.ReadEcs(e.Value, c.Ecs) }),
            ("link", static (m, e, c) => c with { Link = m.ReadLink(e.Value, c.Link) }),
            ("auth", static (m, e, c) => c with { Auth = m.ReadAuth(e.Value, c.Auth ?? new AuthConfig()) }),
            ("purge", static (m, e, c) => c with { Purge = m.ReadPurge(e.Value, c.Purge ?? new PurgeConfig()) }),
            ("local", static (m, e, c) => c with { Local = m.ReadLocal(e.Value, c.Local) }),
            ("intents", static (m, e, c) => c with { Intents = m.ReadIntents(e.Value) }),
            ("gitops", static (m, e, c) => c with { GitOps = m.ReadGitOps(e.Value, c.GitOps ?? new GitOpsConfig()) }),
            ("recover", static (m, e, c) => c with { Recover = m.ReadRecover(e.Value, c.Recover) }),
            ("sleep", static (m, e, c) => c with { Sleep = m.ReadSleep(e.Value, c.Sleep) }),
            ("cluster", static (m, e, c) => c with { Cluster = m.ReadCluster(e.Value, c.Cluster) }),
            ("access_log", static (m, e, c) => c with { AccessLog = m.Reader.Bool(e.Value, e.Path) }),
        ],
        unlisted:
        [
            ("storage", static (m, e, c) => m.Ignored(e, c, "storage is not used (mirage-ecs v2 ignores it too); use htmldir and local.data_dir instead")),
        ]);

    public MirageConfig Read(YamlNode root, MirageConfig defaults)
    {
        var config = RootKeys.Read(this, reader.Entries(root, "", "a mapping of sections (host, listen, ecs, …)"), defaults);

        if (!config.Parameters.Any(p => p.Name == "branch"))
        {
            config = config with { Parameters = [.. config.Parameters, ParameterConfig.DefaultBranch] };
        }
        if (config.Cluster.Enabled && !config.Intents.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            throw reader.Error(root, "cluster.lease_table needs intents: s3://bucket/prefix/ (the replicas share their intents and the leader's route table there)");
        }
        if (_cookieRequiredLine is int line && string.IsNullOrEmpty(config.Auth?.CookieSecret))
        {
            reader.Warn(line, "listen.http has require_auth_cookie: true but auth.cookie_secret is not set, so no cookie can be valid and every proxied request on that port is refused; set auth.cookie_secret");
        }
        return config;
    }

    // A key mirage-ecs has but Mirage does not use: its own warning says what to use instead, and nothing changes.
    private T Ignored<T>(ConfigEntry entry, T unchanged, string warning)
    {
        reader.Warn(entry.KeyNode, warning);
        return unchanged;
    }

    private static readonly ConfigKeyTable<HostConfig> HostKeys = new(
        [
            ("webapi", static (m, e, h) => h with { WebApi = m.Reader.String(e.Value, e.Path).Trim() }),
            ("reverse_proxy_suffix", static (m, e, h) => h with { ReverseProxySuffix = m.Reader.String(e.Value, e.Path).Trim() }),
        ]);

    private HostConfig ReadHost(YamlNode node, HostConfig host) =>
        HostKeys.Read(this, reader.Entries(node, "host", "a mapping with webapi and reverse_proxy_suffix"), host);

    private static readonly ConfigKeyTable<ListenConfig> ListenKeys = new(
        [
            ("foreign_address", static (m, e, l) => l with { ForeignAddress = m.Reader.String(e.Value, e.Path).Trim() }),
            ("http", static (m, e, l) => l with { Http = m.ReadPorts(e) }),
        ],
        unlisted:
        [
            ("https", static (m, e, l) => m.Ignored(e, l, "listen.https is not used (mirage-ecs never serves TLS either); terminate TLS in front of Mirage, e.g. on the load balancer")),
        ]);

    private ListenConfig ReadListen(YamlNode node, ListenConfig listen) =>
        ListenKeys.Read(this, reader.Entries(node, "listen", "a mapping with foreign_address and http"), listen);

    // One listen.http item while its keys are read; both ports are checked once the whole item is read.
    private sealed record PortDraft(int? Listen, int? Target, bool RequireAuthCookie);

    private static readonly ConfigKeyTable<PortDraft> PortKeys = new(
        [
            ("listen", static (m, e, p) => p with { Listen = m.Port(e) }),
            ("target", static (m, e, p) => p with { Target = m.Port(e) }),
            ("require_auth_cookie", static (m, e, p) => p with { RequireAuthCookie = m.Reader.Bool(e.Value, e.Path) }),
        ]);

    private List<ListenPort> ReadPorts(ConfigEntry http)
    {
        const string Expected = "a list of ports, e.g. [{listen: 80, target: 80}]";
        var ports = new List<ListenPort>();
        var seen = new Dictionary<int, int>();
        foreach (var (index, path, item) in reader.Items(http.Value, http.Path, Expected))
        {
            var draft = PortKeys.Read(this, reader.Entries(item, path, "a mapping with listen, target and require_auth_cookie"), new PortDraft(null, null, false));
            if (draft.Listen is not int listenPort || draft.Target is not int targetPort)
            {
                throw reader.Error(item, $"{path} needs both listen (the port Mirage listens on) and target (the container port), e.g. {{listen: 80, target: 80}}");
            }
            if (seen.TryGetValue(listenPort, out var first))
            {
                throw reader.Error(item, $"{path}: port {listenPort} is already used by listen.http[{first}]; give each entry its own listen port");
            }
            seen[listenPort] = index;
            if (draft.RequireAuthCookie)
            {
                _cookieRequiredLine ??= reader.SourceLine(item);
            }
            ports.Add(new ListenPort(listenPort, targetPort, draft.RequireAuthCookie));
        }
        if (ports.Count == 0)
        {
            throw reader.Error(http.Value, "listen.http is empty; give at least one port, e.g. [{listen: 80, target: 80}]");
        }
        return ports;
    }

    private int Port(ConfigEntry entry)
    {
        var port = reader.Int(entry.Value, entry.Path);
        return port is >= 1 and <= 65535
            ? port
            : throw reader.Error(entry.Value, $"{entry.Path}: {port} is not a TCP port; use a number from 1 to 65535");
    }

    private static readonly ConfigKeyTable<NetworkConfig> NetworkKeys = new(
        [
            ("proxy_timeout", static (m, e, n) => n with { ProxyTimeout = m.Reader.Duration(e.Value, e.Path) }),
            ("trusted_proxies", static (m, e, n) => n with { TrustedProxies = m.ReadTrustedProxies(e) }),
        ]);

    private NetworkConfig ReadNetwork(YamlNode node, NetworkConfig network) =>
        NetworkKeys.Read(this, reader.Entries(node, "network", "a mapping with proxy_timeout and trusted_proxies"), network);

    private List<System.Net.IPNetwork> ReadTrustedProxies(ConfigEntry trusted)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var (_, path, item) in reader.Items(trusted.Value, trusted.Path, "a list of CIDR blocks, e.g. [10.0.0.0/8]"))
        {
            var text = reader.String(item, path).Trim();
            if (!System.Net.IPNetwork.TryParse(text, out var network))
            {
                throw reader.Error(item, $"{path}: \"{text}\" is not a CIDR block; write an address and a prefix length, e.g. 10.0.0.0/8 or 192.168.1.10/32");
            }
            networks.Add(network);
        }
        return networks;
    }

    private static readonly ConfigKeyTable<ParameterConfig> ParameterKeys = new(
        [
            ("name", static (m, e, p) => p with { Name = m.Reader.String(e.Value, e.Path).Trim() }),
            ("env", static (m, e, p) => p with { Env = m.Reader.String(e.Value, e.Path).Trim() }),
            ("rule", static (m, e, p) => p with { Rule = m.ReadRegex(e, "parameter rule", "^[a-z0-9-]+$") }),
            ("required", static (m, e, p) => p with { Required = m.Reader.Bool(e.Value, e.Path) }),
            ("default", static (m, e, p) => p with { Default = m.Reader.String(e.Value, e.Path) }),
            ("description", static (m, e, p) => p with { Description = m.Reader.String(e.Value, e.Path) }),
            ("options", static (m, e, p) => p with { Options = m.ReadOptions(e) }),
        ]);

    private List<ParameterConfig> ReadParameters(YamlNode node)
    {
        var parameters = new List<ParameterConfig>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (index, path, item) in reader.Items(node, "parameters", "a list of parameters, e.g. [{name: branch, env: GIT_BRANCH}]"))
        {
            var parameter = ParameterKeys.Read(this, reader.Entries(item, path, "a mapping with name, env, rule, required, default, description and options"), new ParameterConfig { Name = "" });
            var name = parameter.Name;
            if (name.Length == 0)
            {
                throw reader.Error(item, $"{path} has no name; every parameter needs one, e.g. {{name: branch, env: GIT_BRANCH}}");
            }
            if (!names.TryAdd(name, index))
            {
                throw reader.Error(item, $"{path}: parameter \"{name}\" is already defined at parameters[{names[name]}]; give each parameter its own name");
            }
            parameters.Add(parameter);
        }
        return parameters;
    }

    // Parameter rules and exclude_regexp are RE2 expressions (Go's regexp), checked here so a bad one fails at its line.
    private string ReadRegex(ConfigEntry entry, string what, string example)
    {
        var pattern = reader.String(entry.Value, entry.Path);
        try
        {
            Mirage.Model.Parameters.Re2Rule.Compile(pattern);
        }
        catch (ArgumentException e)
        {
            throw reader.Error(entry.Value, $"{entry.Path}: invalid {what} \"{pattern}\" ({e.Message}); write a regular expression such as \"{example}\"");
        }
        return pattern;
    }

    private static readonly ConfigKeyTable<ParameterOption> OptionKeys = new(
        [
            ("label", static (m, e, o) => o with { Label = m.Reader.String(e.Value, e.Path) }),
            ("value", static (m, e, o) => o with { Value = m.Reader.String(e.Value, e.Path) }),
        ]);

    private List<ParameterOption> ReadOptions(ConfigEntry options)
    {
        var result = new List<ParameterOption>();
        foreach (var (_, path, item) in reader.Items(options.Value, options.Path, "a list of {label, value}"))
        {
            result.Add(OptionKeys.Read(this, reader.Entries(item, path, "a mapping with label and value"), new ParameterOption("", "")));
        }
        return result;
    }

    // The ecs section while its keys are read; the launch_type node is kept to point the conflict error at it.
    private sealed record EcsDraft(EcsConfig Ecs, YamlNode? LaunchTypeNode);

    private static readonly ConfigKeyTable<EcsDraft> EcsKeys = new(
        [
            ("region", static (m, e, d) => d with { Ecs = d.Ecs with { Region = m.Reader.String(e.Value, e.Path).Trim() } }),
            ("cluster", static (m, e, d) => d with { Ecs = d.Ecs with { Cluster = m.Reader.String(e.Value, e.Path).Trim() } }),
            ("launch_type", static (m, e, d) =>
            {
                var launchType = m.Reader.String(e.Value, e.Path).Trim();
                return new EcsDraft(d.Ecs with { LaunchType = launchType.Length == 0 ? null : launchType }, e.Value);
            }),
            ("capacity_provider_strategy", static (m, e, d) =>
            {
                var strategy = m.ReadStrategy(e);
                return d with { Ecs = d.Ecs with { CapacityProviderStrategy = strategy.Count == 0 ? null : strategy } };
            }),
            ("network_configuration", static (m, e, d) => d with { Ecs = d.Ecs with { NetworkConfiguration = m.ReadNetworkConfiguration(e) } }),
            ("default_task_definition", static (m, e, d) => d with { Ecs = d.Ecs with { DefaultTaskDefinition = m.Reader.String(e.Value, e.Path).Trim() } }),
            ("enable_execute_command", static (m, e, d) => d with { Ecs = d.Ecs with { EnableExecuteCommand = m.Reader.Bool(e.Value, e.Path) } }),
            ("events_queue_url", static (m, e, d) => d with { Ecs = d.Ecs with { EventsQueueUrl = m.ReadEventsQueueUrl(e) } }),
            ("requests_per_second", static (m, e, d) => d with { Ecs = d.Ecs with { RequestsPerSecond = m.Bounded(e, 1, 1000, "Mirage accepts") } }),
            ("request_burst", static (m, e, d) => d with { Ecs = d.Ecs with { RequestBurst = m.Bounded(e, 1, 10_000, "Mirage accepts") } }),
        ]);

    private EcsConfig ReadEcs(YamlNode node, EcsConfig ecs)
    {
        var (read, launchTypeNode) = EcsKeys.Read(this, reader.Entries(node, "ecs", "a mapping with region, cluster, launch_type, …"), new EcsDraft(ecs, null));
        if (read.LaunchType is not null && read.CapacityProviderStrategy is not null)
        {
            throw reader.Error(launchTypeNode ?? node, "ecs: launch_type and capacity_provider_strategy are both set, but ECS accepts only one of them; remove launch_type to use the capacity providers, or remove capacity_provider_strategy");
        }
        return read;
    }

    private string ReadEventsQueueUrl(ConfigEntry entry)
    {
        var queueUrl = reader.String(entry.Value, entry.Path).Trim();
        if (queueUrl.Length > 0 && (!Uri.TryCreate(queueUrl, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http")))
        {
            throw reader.Error(entry.Value, $"ecs.events_queue_url: \"{queueUrl}\" is not an SQS queue URL; write it as https://sqs.<region>.amazonaws.com/<account>/<queue>, or remove the key to rely on the resync alone");
        }
        return queueUrl;
    }

    private static readonly ConfigKeyTable<CapacityProviderStrategyItem> StrategyKeys = new(
        [
            ("capacity_provider", static (m, e, s) => s with { CapacityProvider = m.Reader.String(e.Value, e.Path).Trim() }),
            ("weight", static (m, e, s) => s with { Weight = m.Bounded(e, 0, 1000) }),
            ("base", static (m, e, s) => s with { Base = m.Bounded(e, 0, 100_000) }),
        ]);

    private List<CapacityProviderStrategyItem> ReadStrategy(ConfigEntry strategy)
    {
        var items = new List<CapacityProviderStrategyItem>();
        foreach (var (_, path, item) in reader.Items(strategy.Value, strategy.Path, "a list of {capacity_provider, weight, base}"))
        {
            var read = StrategyKeys.Read(this, reader.Entries(item, path, "a mapping with capacity_provider, weight and base"), new CapacityProviderStrategyItem("", 0, 0));
            if (read.CapacityProvider.Length == 0)
            {
                throw reader.Error(item, $"{path} has no capacity_provider; name one, e.g. {{capacity_provider: FARGATE_SPOT, weight: 1}}");
            }
            items.Add(read);
        }
        return items;
    }

    private int Bounded(ConfigEntry entry, int min, int max, string accepts = "ECS accepts")
    {
        var value = reader.Int(entry.Value, entry.Path);
        return value >= min && value <= max
            ? value
            : throw reader.Error(entry.Value, $"{entry.Path}: {value} is out of range; {accepts} {min} to {max}");
    }

    private static readonly ConfigKeyTable<AwsVpcConfiguration?> NetworkConfigurationKeys = new(
        [
            ("awsvpc_configuration", static (m, e, _) => m.ReadAwsVpc(e)),
        ]);

    private NetworkConfiguration ReadNetworkConfiguration(ConfigEntry networkConfiguration)
    {
        var awsvpc = NetworkConfigurationKeys.Read(this, reader.Entries(networkConfiguration.Value, networkConfiguration.Path, "a mapping with awsvpc_configuration"), null);
        return awsvpc is null
            ? throw reader.Error(networkConfiguration.KeyNode, "ecs.network_configuration has no awsvpc_configuration; add awsvpc_configuration: {subnets: [...], security_groups: [...]}, or remove network_configuration to copy Mirage's own service settings")
            : new NetworkConfiguration(awsvpc);
    }

    private static readonly ConfigKeyTable<AwsVpcConfiguration> AwsVpcKeys = new(
        [
            ("subnets", static (m, e, a) => a with { Subnets = m.Reader.StringList(e.Value, e.Path) }),
            ("security_groups", static (m, e, a) => a with { SecurityGroups = m.Reader.StringList(e.Value, e.Path) }),
            ("assign_public_ip", static (m, e, a) => a with { AssignPublicIp = m.ReadAssignPublicIp(e) }),
        ]);

    private AwsVpcConfiguration ReadAwsVpc(ConfigEntry awsvpcEntry) =>
        AwsVpcKeys.Read(this, reader.Entries(awsvpcEntry.Value, awsvpcEntry.Path, "a mapping with subnets, security_groups and assign_public_ip"), new AwsVpcConfiguration());

    private string ReadAssignPublicIp(ConfigEntry entry)
    {
        var assign = reader.String(entry.Value, entry.Path).Trim();
        return assign is "ENABLED" or "DISABLED"
            ? assign
            : throw reader.Error(entry.Value, $"{entry.Path}: \"{assign}\" is not valid; write ENABLED or DISABLED (upper case, as the ECS API spells it)");
    }

    private static readonly ConfigKeyTable<LinkConfig> LinkKeys = new(
        [
            ("hosted_zone_id", static (m, e, l) => l with { HostedZoneId = m.Reader.String(e.Value, e.Path).Trim() }),
            ("default_task_definitions", static (m, e, l) => l with { DefaultTaskDefinitions = m.Reader.StringList(e.Value, e.Path) }),
            ("exclude_containers", static (m, e, l) => l with { ExcludeContainers = m.ReadExcludeContainers(e) }),
        ]);

    private LinkConfig ReadLink(YamlNode node, LinkConfig link) =>
        LinkKeys.Read(this, reader.Entries(node, "link", "a mapping with hosted_zone_id, default_task_definitions and exclude_containers"), link);

    private IReadOnlyList<string> ReadExcludeContainers(ConfigEntry entry)
    {
        var patterns = reader.StringList(entry.Value, entry.Path);
        var bad = patterns.FirstOrDefault(p => !Routing.PathPattern.IsValid(p));
        return bad is null
            ? patterns
            : throw reader.Error(entry.Value, $"{entry.Path}: \"{bad}\" is not a valid pattern; use a container name or a wildcard such as \"sidecar-*\" (close every [ with ])");
    }

    private static readonly ConfigKeyTable<AuthConfig> AuthKeys = new(
        [
            ("cookie_secret", static (m, e, a) => a with { CookieSecret = m.Reader.String(e.Value, e.Path) }),
            ("token", static (m, e, a) => a with { Token = m.ReadToken(e) }),
            ("basic", static (m, e, a) => a with { Basic = m.ReadBasic(e) }),
            ("amzn_oidc", static (m, e, a) => a with { AmznOidc = m.ReadOidc(e) }),
        ]);

    private AuthConfig ReadAuth(YamlNode node, AuthConfig auth) =>
        AuthKeys.Read(this, reader.Entries(node, "auth", "a mapping with cookie_secret, token, basic and amzn_oidc"), auth);

    private static readonly ConfigKeyTable<TokenAuthConfig> TokenKeys = new(
        [
            ("header", static (m, e, t) => t with { Header = m.Reader.String(e.Value, e.Path).Trim() }),
            ("token", static (m, e, t) => t with { Token = m.Reader.String(e.Value, e.Path) }),
        ]);

    private TokenAuthConfig ReadToken(ConfigEntry token) =>
        TokenKeys.Read(this, reader.Entries(token.Value, token.Path, "a mapping with header and token"), new TokenAuthConfig("", ""));

    private static readonly ConfigKeyTable<BasicAuthConfig> BasicKeys = new(
        [
            ("username", static (m, e, b) => b with { Username = m.Reader.String(e.Value, e.Path) }),
            ("password", static (m, e, b) => b with { Password = m.Reader.String(e.Value, e.Path) }),
        ]);

    private BasicAuthConfig ReadBasic(ConfigEntry basic) =>
        BasicKeys.Read(this, reader.Entries(basic.Value, basic.Path, "a mapping with username and password"), new BasicAuthConfig("", ""));

    // auth.amzn_oidc while its keys are read; HasMatchers refuses matchers and matcher given together.
    private sealed record OidcDraft(AmznOidcAuthConfig Oidc, bool HasMatchers);

    private static readonly ConfigKeyTable<OidcDraft> OidcKeys = new(
        [
            ("claim", static (m, e, d) => d with { Oidc = d.Oidc with { Claim = m.Reader.String(e.Value, e.Path).Trim() } }),
            ("matchers", static (m, e, d) => m.ReadMatchersKey(e, d)),
            ("alb_arn", static (m, e, d) => d with { Oidc = d.Oidc with { AlbArn = m.ReadAlbArn(e) } }),
        ],
        unlisted:
        [
            ("matcher", static (m, e, d) => m.ReadMatchersKey(e, d)),
        ]);

    private AmznOidcAuthConfig ReadOidc(ConfigEntry oidcEntry)
    {
        var oidc = OidcKeys.Read(this, reader.Entries(oidcEntry.Value, oidcEntry.Path, "a mapping with claim, matchers and alb_arn"), new OidcDraft(new AmznOidcAuthConfig(), false)).Oidc;
        // Unpinned, any ALB in any account could sign tokens Mirage accepts (mirage-ecs does not check the signer).
        return oidc.AlbArn is null
            ? throw reader.Error(oidcEntry.KeyNode, $"auth.amzn_oidc.alb_arn is required: only tokens signed by your own ALB may log in; write alb_arn: with its ARN (terraform output alb_arn), e.g. alb_arn: {AlbArn.Example}")
            : oidc;
    }

    private string? ReadAlbArn(ConfigEntry entry)
    {
        var arn = reader.String(entry.Value, entry.Path).Trim();
        if (arn.Length > 0 && !AlbArn.TryParse(arn, out _, out var arnError))
        {
            throw reader.Error(entry.Value, $"{entry.Path}: {arnError}");
        }
        return arn.Length == 0 ? null : arn;
    }

    private OidcDraft ReadMatchersKey(ConfigEntry entry, OidcDraft draft)
    {
        if (draft.HasMatchers)
        {
            throw reader.Error(entry.KeyNode, "auth.amzn_oidc has both matchers and matcher; keep only matchers");
        }
        if (entry.Key == "matcher")
        {
            reader.Warn(entry.KeyNode, "auth.amzn_oidc.matcher (the README spelling) is read as matchers; rename it to matchers (mirage-ecs silently ignores matcher)");
        }
        return new OidcDraft(draft.Oidc with { Matchers = ReadMatchers(entry) }, HasMatchers: true);
    }

    private static readonly ConfigKeyTable<OidcClaimMatcher> MatcherKeys = new(
        [
            ("exact", static (m, e, c) => c with { Exact = m.Reader.String(e.Value, e.Path) }),
            ("suffix", static (m, e, c) => c with { Suffix = m.Reader.String(e.Value, e.Path) }),
        ]);

    private List<OidcClaimMatcher> ReadMatchers(ConfigEntry matchers)
    {
        var result = new List<OidcClaimMatcher>();
        foreach (var (_, path, item) in reader.Items(matchers.Value, matchers.Path, "a list of {exact} or {suffix}"))
        {
            var (exact, suffix) = MatcherKeys.Read(this, reader.Entries(item, path, "a mapping with exact or suffix"), new OidcClaimMatcher(null, null));
            if (string.IsNullOrEmpty(exact) && string.IsNullOrEmpty(suffix))
            {
                throw reader.Error(item, $"{path} matches nothing; give exact (e.g. exact: alice@example.com) or suffix (e.g. suffix: \"@example.com\")");
            }
            result.Add(new OidcClaimMatcher(string.IsNullOrEmpty(exact) ? null : exact, string.IsNullOrEmpty(suffix) ? null : suffix));
        }
        return result;
    }

    private static readonly ConfigKeyTable<PurgeConfig> PurgeKeys = new(
        [
            ("schedule", static (m, e, p) => p with { Schedule = m.ReadSchedule(e) }),
            ("request", static (m, e, p) => p with { Request = m.ReadPurgeRequest(e, p.Request) }),
            ("dry_run", static (m, e, p) => p with { DryRun = m.Reader.Bool(e.Value, e.Path) }),
        ]);

    private PurgeConfig ReadPurge(YamlNode node, PurgeConfig purge) =>
        PurgeKeys.Read(this, reader.Entries(node, "purge", "a mapping with schedule, request and dry_run"), purge);

    private string ReadSchedule(ConfigEntry entry)
    {
        var schedule = reader.String(entry.Value, entry.Path).Trim();
        try
        {
            Scheduling.EventBridgeCron.Parse(schedule);
        }
        catch (FormatException e)
        {
            throw reader.Error(entry.Value, $"{entry.Path}: {e.Message} (an EventBridge-style cron: minutes hours day-of-month month day-of-week year)");
        }
        return schedule;
    }

    private static readonly ConfigKeyTable<PurgeRequestConfig> PurgeRequestKeys = new(
        [
            ("duration", static (m, e, r) => r with { Duration = m.PurgeDuration(e) }),
            ("excludes", static (m, e, r) => r with { Excludes = m.Reader.StringList(e.Value, e.Path) }),
            ("exclude_tags", static (m, e, r) => r with { ExcludeTags = m.ReadExcludeTags(e) }),
            ("exclude_regexp", static (m, e, r) => r with { ExcludeRegexp = m.ReadRegex(e, "regular expression", "^(main|develop)$") }),
        ]);

    private PurgeRequestConfig ReadPurgeRequest(ConfigEntry requestEntry, PurgeRequestConfig request) =>
        PurgeRequestKeys.Read(this, reader.Entries(requestEntry.Value, requestEntry.Path, "a mapping with duration, excludes, exclude_tags and exclude_regexp"), request);

    private IReadOnlyList<string> ReadExcludeTags(ConfigEntry entry)
    {
        var tags = reader.StringList(entry.Value, entry.Path);
        var bad = tags.FirstOrDefault(t => !t.Contains(':', StringComparison.Ordinal));
        return bad is null
            ? tags
            : throw reader.Error(entry.Value, $"{entry.Path}: \"{bad}\" is not Key:Value; write tags as \"Key:Value\", e.g. \"DontPurge:true\"");
    }

    // As /api/purge: whole seconds, given as a number or a numeric string. A Go duration ("24h") is also accepted.
    private TimeSpan PurgeDuration(ConfigEntry entry)
    {
        var text = reader.String(entry.Value, entry.Path).Trim();
        TimeSpan duration;
        if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= 0 and <= int.MaxValue)
        {
            duration = TimeSpan.FromSeconds(seconds);
        }
        else if (!GoDuration.TryParse(text, out duration))
        {
            throw reader.Error(entry.Value, $"{entry.Path}: \"{text}\" is not a duration; write whole seconds (e.g. 86400) or a duration such as \"24h\"");
        }
        if (duration > Metrics.AccessCountWindow.Maximum)
        {
            throw reader.Error(entry.Value, $"{entry.Path}: {text} is too long; purge looks back at most {Metrics.AccessCountWindow.MaximumSeconds} seconds (455 days) of access counts");
        }
        return duration >= TimeSpan.FromSeconds(300)
            ? duration
            : throw reader.Error(entry.Value, $"{entry.Path}: {text} is too short; purge needs at least 300 seconds (\"5m\")");
    }

    private string ReadIntents(YamlNode node)
    {
        var location = reader.String(node, "intents").Trim();
        if (location.Length > 0 && !location.StartsWith("s3://", StringComparison.Ordinal))
        {
            throw reader.Error(node, $"intents must be an s3://bucket/prefix/ URL (got '{location}'); leave it out to keep intents in local.data_dir");
        }
        return location;
    }

    private static readonly ConfigKeyTable<LocalConfig> LocalKeys = new(
        [
            ("task_definitions", static (m, e, l) => l with { TaskDefinitions = m.Reader.String(e.Value, e.Path).Trim() }),
            ("data_dir", static (m, e, l) => l with { DataDir = m.Reader.String(e.Value, e.Path).Trim() }),
            ("runtime", static (m, e, l) => l with { Runtime = m.ReadRuntime(e) }),
        ]);

    private LocalConfig ReadLocal(YamlNode node, LocalConfig local) =>
        LocalKeys.Read(this, reader.Entries(node, "local", "a mapping with task_definitions, data_dir and runtime"), local);

    private string ReadRuntime(ConfigEntry entry)
    {
        var runtime = reader.String(entry.Value, entry.Path).Trim().ToLowerInvariant();
        return runtime is "process" or "docker" or "auto"
            ? runtime
            : throw reader.Error(entry.Value, $"{entry.Path} must be process, docker or auto (got '{runtime}')");
    }

    private static readonly ConfigKeyTable<GitOpsConfig> GitOpsKeys = new(
        [
            ("file", static (m, e, g) => g with { File = m.Reader.String(e.Value, e.Path).Trim() }),
            ("check_interval", static (m, e, g) => g with { CheckInterval = m.ReadCheckInterval(e) }),
        ]);

    private GitOpsConfig ReadGitOps(YamlNode node, GitOpsConfig gitOps)
    {
        gitOps = GitOpsKeys.Read(this, reader.Entries(node, "gitops", "a mapping with file and check_interval"), gitOps);
        if (gitOps.File.Length == 0)
        {
            throw reader.Error(node, "gitops has no file; name the desired-environments file, e.g. file: ./desired-environments.yaml or file: s3://bucket/desired-environments.yaml");
        }
        return gitOps;
    }

    private TimeSpan ReadCheckInterval(ConfigEntry entry)
    {
        var interval = reader.Duration(entry.Value, entry.Path);
        return interval >= TimeSpan.FromSeconds(1)
            ? interval
            : throw reader.Error(entry.Value, $"{entry.Path}: {GoDuration.Format(interval)} is too short; check at most once a second, e.g. \"30s\" (changes to a local file are noticed at once anyway)");
    }

    private static readonly ConfigKeyTable<RecoverConfig> RecoverKeys = new(
        [
            ("enable", static (m, e, r) => r with { Enable = m.Reader.Bool(e.Value, e.Path) }),
            ("hook_stopped_reasons", static (m, e, r) => r with { HookStoppedReasons = m.ReadHookStoppedReasons(e) }),
            ("max_per_hour", static (m, e, r) => r with { MaxPerHour = m.ReadMaxPerHour(e) }),
            ("parameter", static (m, e, r) => r with { Parameter = m.ReadRecoverParameter(e) }),
        ]);

    private RecoverConfig ReadRecover(YamlNode node, RecoverConfig recover) =>
        RecoverKeys.Read(this, reader.Entries(node, "recover", "a mapping with enable, parameter, hook_stopped_reasons and max_per_hour"), recover);

    private IReadOnlyList<string> ReadHookStoppedReasons(ConfigEntry entry)
    {
        var reasons = reader.StringList(entry.Value, entry.Path);
        return reasons.Any(r => r.Trim().Length == 0)
            ? throw reader.Error(entry.Value, $"{entry.Path}: an empty reason would match every stop; remove it or write part of a StoppedReason, e.g. \"{RecoverConfig.MaintenanceReason}\"")
            : reasons;
    }

    // Keys not written keep mirage-ecs's defaults (Relaunch, RELAUNCH, on), as its UnmarshalYAML does.
    private ParameterConfig ReadRecoverParameter(ConfigEntry entry)
    {
        var parameter = ParameterKeys.Read(this, reader.Entries(entry.Value, entry.Path, "a mapping with name, env and default, e.g. {name: Relaunch, env: RELAUNCH, default: on}"), RecoverConfig.DefaultParameter);
        return parameter.Name.Length == 0 || parameter.Env.Length == 0
            ? throw reader.Error(entry.Value, $"{entry.Path} needs a name and an env, e.g. {{name: Relaunch, env: RELAUNCH, default: on}}")
            : parameter;
    }

    private int ReadMaxPerHour(ConfigEntry entry)
    {
        var max = reader.Int(entry.Value, entry.Path);
        return max is >= 0 and <= 60
            ? max
            : throw reader.Error(entry.Value, $"{entry.Path}: {max} is out of range; write 0 (never relaunch) to 60");
    }

    private static readonly ConfigKeyTable<SleepConfig> SleepKeys = new(
        [
            ("sleep_after", static (m, e, s) => s with { SleepAfter = m.ReadSleepAfter(e) }),
            ("wake_timeout", static (m, e, s) => s with { WakeTimeout = m.ReadWakeTimeout(e) }),
        ]);

    private SleepConfig ReadSleep(YamlNode node, SleepConfig sleep) =>
        SleepKeys.Read(this, reader.Entries(node, "sleep", "a mapping with sleep_after and wake_timeout"), sleep);

    private TimeSpan? ReadSleepAfter(ConfigEntry entry)
    {
        var after = reader.Duration(entry.Value, entry.Path);
        return after == TimeSpan.Zero ? null
            : after >= Intents.SleepPolicy.MinimumSleepAfter ? after
            : throw reader.Error(entry.Value, $"{entry.Path}: {GoDuration.Format(after)} is too short; write at least \"{GoDuration.Format(Intents.SleepPolicy.MinimumSleepAfter)}\" (e.g. \"30m\"), or 0 for never");
    }

    private TimeSpan ReadWakeTimeout(ConfigEntry entry)
    {
        var timeout = reader.Duration(entry.Value, entry.Path);
        return timeout >= TimeSpan.FromSeconds(1) && timeout <= TimeSpan.FromMinutes(15)
            ? timeout
            : throw reader.Error(entry.Value, $"{entry.Path}: {GoDuration.Format(timeout)} is out of range; write 1s to 15m, e.g. \"60s\"");
    }

    private static readonly ConfigKeyTable<ClusterConfig> ClusterKeys = new(
        [
            ("lease_table", static (m, e, c) => c with { LeaseTable = m.Reader.String(e.Value, e.Path) }),
            ("lease_name", static (m, e, c) => c with { LeaseName = m.Reader.String(e.Value, e.Path) }),
            ("lease_duration", static (m, e, c) => c with { LeaseDuration = m.Reader.Duration(e.Value, e.Path) }),
            ("renew_interval", static (m, e, c) => c with { RenewInterval = m.Reader.Duration(e.Value, e.Path) }),
            ("routes_poll_interval", static (m, e, c) => c with { RoutesPollInterval = m.Reader.Duration(e.Value, e.Path) }),
            ("nudge_poll_interval", static (m, e, c) => c with { NudgePollInterval = m.Reader.Duration(e.Value, e.Path) }),
        ]);

    private ClusterConfig ReadCluster(YamlNode node, ClusterConfig cluster)
    {
        cluster = ClusterKeys.Read(this, reader.Entries(node, "cluster", "a mapping with lease_table, lease_name, lease_duration, renew_interval, routes_poll_interval and nudge_poll_interval"), cluster);
        if (cluster.LeaseName.Length == 0)
        {
            throw reader.Error(node, "cluster.lease_name is empty; name the lease item, e.g. lease_name: mirage");
        }
        if (cluster.LeaseDuration < TimeSpan.FromSeconds(2))
        {
            throw reader.Error(node, $"cluster.lease_duration: {GoDuration.Format(cluster.LeaseDuration)} is too short; write at least \"2s\" (the default is \"15s\")");
        }
        if (cluster.RenewInterval <= TimeSpan.Zero || cluster.RenewInterval * 2 > cluster.LeaseDuration)
        {
            throw reader.Error(node, $"cluster.renew_interval: {GoDuration.Format(cluster.RenewInterval)} must be more than 0 and at most half of lease_duration ({GoDuration.Format(cluster.LeaseDuration)}), so one lost renewal does not lose the lease; e.g. a third of it");
        }
        if (cluster.RoutesPollInterval < TimeSpan.FromMilliseconds(100) || cluster.RoutesPollInterval > TimeSpan.FromSeconds(2))
        {
            throw reader.Error(node, $"cluster.routes_poll_interval: {GoDuration.Format(cluster.RoutesPollInterval)} is out of range; write \"100ms\" to \"2s\" (followers serve a route change within this long)");
        }
        if (cluster.NudgePollInterval < TimeSpan.FromMilliseconds(100) || cluster.NudgePollInterval > TimeSpan.FromSeconds(10))
        {
            throw reader.Error(node, $"cluster.nudge_poll_interval: {GoDuration.Format(cluster.NudgePollInterval)} is out of range; write \"100ms\" to \"10s\" (the leader picks up a follower's launch within this long)");
        }
        return cluster;
    }
}
