using YamlDotNet.RepresentationModel;

namespace Mirage.Model.Configuration;

/// <summary>
/// Reads the YAML tree over the defaults, key by key, the way yaml.v2 unmarshals mirage-ecs's config: keys that are
/// not in the file keep their defaults and a list given in the file replaces the default list. Unknown keys are
/// warnings; wrong types and values that cannot work are errors.
/// </summary>
internal sealed class ConfigYamlMapper(ConfigNodeReader reader)
{
    private const string RootKeys = "host, listen, network, htmldir, parameters, ecs, link, auth, purge, local, intents, gitops, recover";

    private int? _cookieRequiredLine;

    public MirageConfig Read(YamlNode root, MirageConfig defaults)
    {
        var config = defaults;
        foreach (var entry in reader.Entries(root, "", "a mapping of sections (host, listen, ecs, …)"))
        {
            var value = entry.Value;
            config = entry.Key switch
            {
                "host" => config with { Host = ReadHost(value, config.Host) },
                "listen" => config with { Listen = ReadListen(value, config.Listen) },
                "network" => config with { Network = ReadNetwork(value, config.Network) },
                "htmldir" => config with { HtmlDir = reader.String(value, "htmldir") },
                "parameters" => config with { Parameters = ReadParameters(value) },
                "ecs" => config with { Ecs = ReadEcs(value, config.Ecs) },
                "link" => config with { Link = ReadLink(value, config.Link) },
                "auth" => config with { Auth = ReadAuth(value, config.Auth ?? new AuthConfig()) },
                "purge" => config with { Purge = ReadPurge(value, config.Purge ?? new PurgeConfig()) },
                "local" => config with { Local = ReadLocal(value, config.Local) },
                "intents" => config with { Intents = ReadIntents(value) },
                "gitops" => config with { GitOps = ReadGitOps(value, config.GitOps ?? new GitOpsConfig()) },
                "recover" => config with { Recover = ReadRecover(value, config.Recover) },
                _ => Unknown(entry, config),
            };
        }

        if (!config.Parameters.Any(p => p.Name == "branch"))
        {
            config = config with { Parameters = [.. config.Parameters, ParameterConfig.DefaultBranch] };
        }
        if (_cookieRequiredLine is int line && string.IsNullOrEmpty(config.Auth?.CookieSecret))
        {
            reader.Warn(line, "listen.http has require_auth_cookie: true but auth.cookie_secret is not set, so no cookie can be valid and every proxied request on that port is refused; set auth.cookie_secret");
        }
        return config;
    }

    private MirageConfig Unknown(ConfigEntry entry, MirageConfig config)
    {
        switch (entry.Key)
        {
            case "storage":
                reader.Warn(entry.KeyNode, "storage is not used (mirage-ecs v2 ignores it too); use htmldir and local.data_dir instead");
                break;
            default:
                reader.WarnUnknown(entry, RootKeys);
                break;
        }
        return config;
    }

    private HostConfig ReadHost(YamlNode node, HostConfig host)
    {
        foreach (var entry in reader.Entries(node, "host", "a mapping with webapi and reverse_proxy_suffix"))
        {
            host = entry.Key switch
            {
                "webapi" => host with { WebApi = reader.String(entry.Value, entry.Path).Trim() },
                "reverse_proxy_suffix" => host with { ReverseProxySuffix = reader.String(entry.Value, entry.Path).Trim() },
                _ => Unknown(entry, "webapi, reverse_proxy_suffix", host),
            };
        }
        return host;
    }

    private ListenConfig ReadListen(YamlNode node, ListenConfig listen)
    {
        foreach (var entry in reader.Entries(node, "listen", "a mapping with foreign_address and http"))
        {
            switch (entry.Key)
            {
                case "foreign_address":
                    listen = listen with { ForeignAddress = reader.String(entry.Value, entry.Path).Trim() };
                    break;
                case "http":
                    listen = listen with { Http = ReadPorts(entry) };
                    break;
                case "https":
                    reader.Warn(entry.KeyNode, "listen.https is not used (mirage-ecs never serves TLS either); terminate TLS in front of Mirage, e.g. on the load balancer");
                    break;
                default:
                    reader.WarnUnknown(entry, "foreign_address, http");
                    break;
            }
        }
        return listen;
    }

    private List<ListenPort> ReadPorts(ConfigEntry http)
    {
        const string Expected = "a list of ports, e.g. [{listen: 80, target: 80}]";
        var ports = new List<ListenPort>();
        var seen = new Dictionary<int, int>();
        foreach (var (index, path, item) in reader.Items(http.Value, http.Path, Expected))
        {
            int? listen = null;
            int? target = null;
            var requireCookie = false;
            foreach (var entry in reader.Entries(item, path, "a mapping with listen, target and require_auth_cookie"))
            {
                switch (entry.Key)
                {
                    case "listen":
                        listen = Port(entry);
                        break;
                    case "target":
                        target = Port(entry);
                        break;
                    case "require_auth_cookie":
                        requireCookie = reader.Bool(entry.Value, entry.Path);
                        break;
                    default:
                        reader.WarnUnknown(entry, "listen, target, require_auth_cookie");
                        break;
                }
            }
            if (listen is not int listenPort || target is not int targetPort)
            {
                throw reader.Error(item, $"{path} needs both listen (the port Mirage listens on) and target (the container port), e.g. {{listen: 80, target: 80}}");
            }
            if (seen.TryGetValue(listenPort, out var first))
            {
                throw reader.Error(item, $"{path}: port {listenPort} is already used by listen.http[{first}]; give each entry its own listen port");
            }
            seen[listenPort] = index;
            if (requireCookie)
            {
                _cookieRequiredLine ??= reader.SourceLine(item);
            }
            ports.Add(new ListenPort(listenPort, targetPort, requireCookie));
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

    private NetworkConfig ReadNetwork(YamlNode node, NetworkConfig network)
    {
        foreach (var entry in reader.Entries(node, "network", "a mapping with proxy_timeout and trusted_proxies"))
        {
            network = entry.Key switch
            {
                "proxy_timeout" => network with { ProxyTimeout = reader.Duration(entry.Value, entry.Path) },
                "trusted_proxies" => network with { TrustedProxies = ReadTrustedProxies(entry) },
                _ => Unknown(entry, "proxy_timeout, trusted_proxies", network),
            };
        }
        return network;
    }

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

    private List<ParameterConfig> ReadParameters(YamlNode node)
    {
        var parameters = new List<ParameterConfig>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (index, path, item) in reader.Items(node, "parameters", "a list of parameters, e.g. [{name: branch, env: GIT_BRANCH}]"))
        {
            var parameter = new ParameterConfig { Name = "" };
            var name = "";
            foreach (var entry in reader.Entries(item, path, "a mapping with name, env, rule, required, default, description and options"))
            {
                switch (entry.Key)
                {
                    case "name":
                        name = reader.String(entry.Value, entry.Path).Trim();
                        break;
                    case "env":
                        parameter = parameter with { Env = reader.String(entry.Value, entry.Path).Trim() };
                        break;
                    case "rule":
                        var rule = reader.String(entry.Value, entry.Path);
                        try
                        {
                            Mirage.Model.Parameters.Re2Rule.Compile(rule);
                        }
                        catch (ArgumentException e)
                        {
                            throw reader.Error(entry.Value, $"{entry.Path}: invalid parameter rule \"{rule}\" ({e.Message}); write a regular expression such as \"^[a-z0-9-]+$\"");
                        }
                        parameter = parameter with { Rule = rule };
                        break;
                    case "required":
                        parameter = parameter with { Required = reader.Bool(entry.Value, entry.Path) };
                        break;
                    case "default":
                        parameter = parameter with { Default = reader.String(entry.Value, entry.Path) };
                        break;
                    case "description":
                        parameter = parameter with { Description = reader.String(entry.Value, entry.Path) };
                        break;
                    case "options":
                        parameter = parameter with { Options = ReadOptions(entry) };
                        break;
                    default:
                        reader.WarnUnknown(entry, "name, env, rule, required, default, description, options");
                        break;
                }
            }
            if (name.Length == 0)
            {
                throw reader.Error(item, $"{path} has no name; every parameter needs one, e.g. {{name: branch, env: GIT_BRANCH}}");
            }
            if (!names.TryAdd(name, index))
            {
                throw reader.Error(item, $"{path}: parameter \"{name}\" is already defined at parameters[{names[name]}]; give each parameter its own name");
            }
            parameters.Add(parameter with { Name = name });
        }
        return parameters;
    }

    private List<ParameterOption> ReadOptions(ConfigEntry options)
    {
        var result = new List<ParameterOption>();
        foreach (var (_, path, item) in reader.Items(options.Value, options.Path, "a list of {label, value}"))
        {
            var label = "";
            var value = "";
            foreach (var entry in reader.Entries(item, path, "a mapping with label and value"))
            {
                switch (entry.Key)
                {
                    case "label":
                        label = reader.String(entry.Value, entry.Path);
                        break;
                    case "value":
                        value = reader.String(entry.Value, entry.Path);
                        break;
                    default:
                        reader.WarnUnknown(entry, "label, value");
                        break;
                }
            }
            result.Add(new ParameterOption(label, value));
        }
        return result;
    }

    private EcsConfig ReadEcs(YamlNode node, EcsConfig ecs)
    {
        YamlNode? launchTypeNode = null;
        foreach (var entry in reader.Entries(node, "ecs", "a mapping with region, cluster, launch_type, …"))
        {
            switch (entry.Key)
            {
                case "region":
                    ecs = ecs with { Region = reader.String(entry.Value, entry.Path).Trim() };
                    break;
                case "cluster":
                    ecs = ecs with { Cluster = reader.String(entry.Value, entry.Path).Trim() };
                    break;
                case "launch_type":
                    var launchType = reader.String(entry.Value, entry.Path).Trim();
                    ecs = ecs with { LaunchType = launchType.Length == 0 ? null : launchType };
                    launchTypeNode = entry.Value;
                    break;
                case "capacity_provider_strategy":
                    var strategy = ReadStrategy(entry);
                    ecs = ecs with { CapacityProviderStrategy = strategy.Count == 0 ? null : strategy };
                    break;
                case "network_configuration":
                    ecs = ecs with { NetworkConfiguration = ReadNetworkConfiguration(entry) };
                    break;
                case "default_task_definition":
                    ecs = ecs with { DefaultTaskDefinition = reader.String(entry.Value, entry.Path).Trim() };
                    break;
                case "enable_execute_command":
                    ecs = ecs with { EnableExecuteCommand = reader.Bool(entry.Value, entry.Path) };
                    break;
                case "events_queue_url":
                    var queueUrl = reader.String(entry.Value, entry.Path).Trim();
                    if (queueUrl.Length > 0 && (!Uri.TryCreate(queueUrl, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http")))
                    {
                        throw reader.Error(entry.Value, $"ecs.events_queue_url: \"{queueUrl}\" is not an SQS queue URL; write it as https://sqs.<region>.amazonaws.com/<account>/<queue>, or remove the key to rely on the resync alone");
                    }
                    ecs = ecs with { EventsQueueUrl = queueUrl };
                    break;
                case "requests_per_second":
                    ecs = ecs with { RequestsPerSecond = Bounded(entry, 1, 1000, "Mirage accepts") };
                    break;
                case "request_burst":
                    ecs = ecs with { RequestBurst = Bounded(entry, 1, 10_000, "Mirage accepts") };
                    break;
                default:
                    reader.WarnUnknown(entry, "region, cluster, launch_type, capacity_provider_strategy, network_configuration, default_task_definition, enable_execute_command, events_queue_url, requests_per_second, request_burst");
                    break;
            }
        }
        if (ecs.LaunchType is not null && ecs.CapacityProviderStrategy is not null)
        {
            throw reader.Error(launchTypeNode ?? node, "ecs: launch_type and capacity_provider_strategy are both set, but ECS accepts only one of them; remove launch_type to use the capacity providers, or remove capacity_provider_strategy");
        }
        return ecs;
    }

    private List<CapacityProviderStrategyItem> ReadStrategy(ConfigEntry strategy)
    {
        var items = new List<CapacityProviderStrategyItem>();
        foreach (var (_, path, item) in reader.Items(strategy.Value, strategy.Path, "a list of {capacity_provider, weight, base}"))
        {
            var provider = "";
            var weight = 0;
            var @base = 0;
            foreach (var entry in reader.Entries(item, path, "a mapping with capacity_provider, weight and base"))
            {
                switch (entry.Key)
                {
                    case "capacity_provider":
                        provider = reader.String(entry.Value, entry.Path).Trim();
                        break;
                    case "weight":
                        weight = Bounded(entry, 0, 1000);
                        break;
                    case "base":
                        @base = Bounded(entry, 0, 100_000);
                        break;
                    default:
                        reader.WarnUnknown(entry, "capacity_provider, weight, base");
                        break;
                }
            }
            if (provider.Length == 0)
            {
                throw reader.Error(item, $"{path} has no capacity_provider; name one, e.g. {{capacity_provider: FARGATE_SPOT, weight: 1}}");
            }
            items.Add(new CapacityProviderStrategyItem(provider, weight, @base));
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

    private NetworkConfiguration ReadNetworkConfiguration(ConfigEntry networkConfiguration)
    {
        AwsVpcConfiguration? awsvpc = null;
        foreach (var entry in reader.Entries(networkConfiguration.Value, networkConfiguration.Path, "a mapping with awsvpc_configuration"))
        {
            switch (entry.Key)
            {
                case "awsvpc_configuration":
                    awsvpc = ReadAwsVpc(entry);
                    break;
                default:
                    reader.WarnUnknown(entry, "awsvpc_configuration");
                    break;
            }
        }
        return awsvpc is null
            ? throw reader.Error(networkConfiguration.KeyNode, "ecs.network_configuration has no awsvpc_configuration; add awsvpc_configuration: {subnets: [...], security_groups: [...]}, or remove network_configuration to copy Mirage's own service settings")
            : new NetworkConfiguration(awsvpc);
    }

    private AwsVpcConfiguration ReadAwsVpc(ConfigEntry awsvpcEntry)
    {
        var awsvpc = new AwsVpcConfiguration();
        foreach (var entry in reader.Entries(awsvpcEntry.Value, awsvpcEntry.Path, "a mapping with subnets, security_groups and assign_public_ip"))
        {
            switch (entry.Key)
            {
                case "subnets":
                    awsvpc = awsvpc with { Subnets = reader.StringList(entry.Value, entry.Path) };
                    break;
                case "security_groups":
                    awsvpc = awsvpc with { SecurityGroups = reader.StringList(entry.Value, entry.Path) };
                    break;
                case "assign_public_ip":
                    var assign = reader.String(entry.Value, entry.Path).Trim();
                    if (assign is not ("ENABLED" or "DISABLED"))
                    {
                        throw reader.Error(entry.Value, $"{entry.Path}: \"{assign}\" is not valid; write ENABLED or DISABLED (upper case, as the ECS API spells it)");
                    }
                    awsvpc = awsvpc with { AssignPublicIp = assign };
                    break;
                default:
                    reader.WarnUnknown(entry, "subnets, security_groups, assign_public_ip");
                    break;
            }
        }
        return awsvpc;
    }

    private LinkConfig ReadLink(YamlNode node, LinkConfig link)
    {
        foreach (var entry in reader.Entries(node, "link", "a mapping with hosted_zone_id, default_task_definitions and exclude_containers"))
        {
            switch (entry.Key)
            {
                case "hosted_zone_id":
                    link = link with { HostedZoneId = reader.String(entry.Value, entry.Path).Trim() };
                    break;
                case "default_task_definitions":
                    link = link with { DefaultTaskDefinitions = reader.StringList(entry.Value, entry.Path) };
                    break;
                case "exclude_containers":
                    var patterns = reader.StringList(entry.Value, entry.Path);
                    var bad = patterns.FirstOrDefault(p => !Routing.PathPattern.IsValid(p));
                    if (bad is not null)
                    {
                        throw reader.Error(entry.Value, $"{entry.Path}: \"{bad}\" is not a valid pattern; use a container name or a wildcard such as \"sidecar-*\" (close every [ with ])");
                    }
                    link = link with { ExcludeContainers = patterns };
                    break;
                default:
                    reader.WarnUnknown(entry, "hosted_zone_id, default_task_definitions, exclude_containers");
                    break;
            }
        }
        return link;
    }

    private AuthConfig ReadAuth(YamlNode node, AuthConfig auth)
    {
        foreach (var entry in reader.Entries(node, "auth", "a mapping with cookie_secret, token, basic and amzn_oidc"))
        {
            switch (entry.Key)
            {
                case "cookie_secret":
                    auth = auth with { CookieSecret = reader.String(entry.Value, entry.Path) };
                    break;
                case "token":
                    auth = auth with { Token = ReadToken(entry) };
                    break;
                case "basic":
                    auth = auth with { Basic = ReadBasic(entry) };
                    break;
                case "amzn_oidc":
                    auth = auth with { AmznOidc = ReadOidc(entry) };
                    break;
                default:
                    reader.WarnUnknown(entry, "cookie_secret, token, basic, amzn_oidc");
                    break;
            }
        }
        return auth;
    }

    private TokenAuthConfig ReadToken(ConfigEntry token)
    {
        var header = "";
        var value = "";
        foreach (var entry in reader.Entries(token.Value, token.Path, "a mapping with header and token"))
        {
            switch (entry.Key)
            {
                case "header":
                    header = reader.String(entry.Value, entry.Path).Trim();
                    break;
                case "token":
                    value = reader.String(entry.Value, entry.Path);
                    break;
                default:
                    reader.WarnUnknown(entry, "header, token");
                    break;
            }
        }
        return new TokenAuthConfig(header, value);
    }

    private BasicAuthConfig ReadBasic(ConfigEntry basic)
    {
        var username = "";
        var password = "";
        foreach (var entry in reader.Entries(basic.Value, basic.Path, "a mapping with username and password"))
        {
            switch (entry.Key)
            {
                case "username":
                    username = reader.String(entry.Value, entry.Path);
                    break;
                case "password":
                    password = reader.String(entry.Value, entry.Path);
                    break;
                default:
                    reader.WarnUnknown(entry, "username, password");
                    break;
            }
        }
        return new BasicAuthConfig(username, password);
    }

    private AmznOidcAuthConfig ReadOidc(ConfigEntry oidcEntry)
    {
        var oidc = new AmznOidcAuthConfig();
        ConfigEntry? matchers = null;
        foreach (var entry in reader.Entries(oidcEntry.Value, oidcEntry.Path, "a mapping with claim, matchers and alb_arn"))
        {
            switch (entry.Key)
            {
                case "claim":
                    oidc = oidc with { Claim = reader.String(entry.Value, entry.Path).Trim() };
                    break;
                case "alb_arn":
                    var arn = reader.String(entry.Value, entry.Path).Trim();
                    if (arn.Length > 0 && !AlbArn.TryParse(arn, out _, out var arnError))
                    {
                        throw reader.Error(entry.Value, $"{entry.Path}: {arnError}");
                    }
                    oidc = oidc with { AlbArn = arn.Length == 0 ? null : arn };
                    break;
                case "matchers" or "matcher":
                    if (matchers is not null)
                    {
                        throw reader.Error(entry.KeyNode, "auth.amzn_oidc has both matchers and matcher; keep only matchers");
                    }
                    if (entry.Key == "matcher")
                    {
                        reader.Warn(entry.KeyNode, "auth.amzn_oidc.matcher (the README spelling) is read as matchers; rename it to matchers (mirage-ecs silently ignores matcher)");
                    }
                    matchers = entry;
                    oidc = oidc with { Matchers = ReadMatchers(entry) };
                    break;
                default:
                    reader.WarnUnknown(entry, "claim, matchers, alb_arn");
                    break;
            }
        }
        // Unpinned, any ALB in any account could sign tokens Mirage accepts (mirage-ecs does not check the signer).
        return oidc.AlbArn is null
            ? throw reader.Error(oidcEntry.KeyNode, $"auth.amzn_oidc.alb_arn is required: only tokens signed by your own ALB may log in; write alb_arn: with its ARN (terraform output alb_arn), e.g. alb_arn: {AlbArn.Example}")
            : oidc;
    }

    private List<OidcClaimMatcher> ReadMatchers(ConfigEntry matchers)
    {
        var result = new List<OidcClaimMatcher>();
        foreach (var (_, path, item) in reader.Items(matchers.Value, matchers.Path, "a list of {exact} or {suffix}"))
        {
            string? exact = null;
            string? suffix = null;
            foreach (var entry in reader.Entries(item, path, "a mapping with exact or suffix"))
            {
                switch (entry.Key)
                {
                    case "exact":
                        exact = reader.String(entry.Value, entry.Path);
                        break;
                    case "suffix":
                        suffix = reader.String(entry.Value, entry.Path);
                        break;
                    default:
                        reader.WarnUnknown(entry, "exact, suffix");
                        break;
                }
            }
            if (string.IsNullOrEmpty(exact) && string.IsNullOrEmpty(suffix))
            {
                throw reader.Error(item, $"{path} matches nothing; give exact (e.g. exact: alice@example.com) or suffix (e.g. suffix: \"@example.com\")");
            }
            result.Add(new OidcClaimMatcher(string.IsNullOrEmpty(exact) ? null : exact, string.IsNullOrEmpty(suffix) ? null : suffix));
        }
        return result;
    }

    private PurgeConfig ReadPurge(YamlNode node, PurgeConfig purge)
    {
        foreach (var entry in reader.Entries(node, "purge", "a mapping with schedule, request and dry_run"))
        {
            switch (entry.Key)
            {
                case "schedule":
                    var schedule = reader.String(entry.Value, entry.Path).Trim();
                    try
                    {
                        Scheduling.EventBridgeCron.Parse(schedule);
                    }
                    catch (FormatException e)
                    {
                        throw reader.Error(entry.Value, $"{entry.Path}: {e.Message} (an EventBridge-style cron: minutes hours day-of-month month day-of-week year)");
                    }
                    purge = purge with { Schedule = schedule };
                    break;
                case "request":
                    purge = purge with { Request = ReadPurgeRequest(entry, purge.Request) };
                    break;
                case "dry_run":
                    purge = purge with { DryRun = reader.Bool(entry.Value, entry.Path) };
                    break;
                default:
                    reader.WarnUnknown(entry, "schedule, request, dry_run");
                    break;
            }
        }
        return purge;
    }

    private PurgeRequestConfig ReadPurgeRequest(ConfigEntry requestEntry, PurgeRequestConfig request)
    {
        foreach (var entry in reader.Entries(requestEntry.Value, requestEntry.Path, "a mapping with duration, excludes, exclude_tags and exclude_regexp"))
        {
            switch (entry.Key)
            {
                case "duration":
                    request = request with { Duration = PurgeDuration(entry) };
                    break;
                case "excludes":
                    request = request with { Excludes = reader.StringList(entry.Value, entry.Path) };
                    break;
                case "exclude_tags":
                    var tags = reader.StringList(entry.Value, entry.Path);
                    var bad = tags.FirstOrDefault(t => !t.Contains(':', StringComparison.Ordinal));
                    if (bad is not null)
                    {
                        throw reader.Error(entry.Value, $"{entry.Path}: \"{bad}\" is not Key:Value; write tags as \"Key:Value\", e.g. \"DontPurge:true\"");
                    }
                    request = request with { ExcludeTags = tags };
                    break;
                case "exclude_regexp":
                    var pattern = reader.String(entry.Value, entry.Path);
                    try
                    {
                        Mirage.Model.Parameters.Re2Rule.Compile(pattern);
                    }
                    catch (ArgumentException e)
                    {
                        throw reader.Error(entry.Value, $"{entry.Path}: invalid regular expression \"{pattern}\" ({e.Message}); write one such as \"^(main|develop)$\"");
                    }
                    request = request with { ExcludeRegexp = pattern };
                    break;
                default:
                    reader.WarnUnknown(entry, "duration, excludes, exclude_tags, exclude_regexp");
                    break;
            }
        }
        return request;
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

    private LocalConfig ReadLocal(YamlNode node, LocalConfig local)
    {
        foreach (var entry in reader.Entries(node, "local", "a mapping with task_definitions, data_dir and runtime"))
        {
            local = entry.Key switch
            {
                "task_definitions" => local with { TaskDefinitions = reader.String(entry.Value, entry.Path).Trim() },
                "data_dir" => local with { DataDir = reader.String(entry.Value, entry.Path).Trim() },
                "runtime" => local with { Runtime = ReadRuntime(entry) },
                _ => Unknown(entry, "task_definitions, data_dir, runtime", local),
            };
        }
        return local;
    }

    private string ReadRuntime(ConfigEntry entry)
    {
        var runtime = reader.String(entry.Value, entry.Path).Trim().ToLowerInvariant();
        return runtime is "process" or "docker" or "auto"
            ? runtime
            : throw reader.Error(entry.Value, $"{entry.Path} must be process, docker or auto (got '{runtime}')");
    }

    private GitOpsConfig ReadGitOps(YamlNode node, GitOpsConfig gitOps)
    {
        foreach (var entry in reader.Entries(node, "gitops", "a mapping with file and check_interval"))
        {
            switch (entry.Key)
            {
                case "file":
                    gitOps = gitOps with { File = reader.String(entry.Value, entry.Path).Trim() };
                    break;
                case "check_interval":
                    var interval = reader.Duration(entry.Value, entry.Path);
                    if (interval < TimeSpan.FromSeconds(1))
                    {
                        throw reader.Error(entry.Value, $"{entry.Path}: {GoDuration.Format(interval)} is too short; check at most once a second, e.g. \"30s\" (changes to a local file are noticed at once anyway)");
                    }
                    gitOps = gitOps with { CheckInterval = interval };
                    break;
                default:
                    reader.WarnUnknown(entry, "file, check_interval");
                    break;
            }
        }
        if (gitOps.File.Length == 0)
        {
            throw reader.Error(node, "gitops has no file; name the desired-environments file, e.g. file: ./desired-environments.yaml or file: s3://bucket/desired-environments.yaml");
        }
        return gitOps;
    }

    private RecoverConfig ReadRecover(YamlNode node, RecoverConfig recover)
    {
        foreach (var entry in reader.Entries(node, "recover", "a mapping with enable, hook_stopped_reasons and max_per_hour"))
        {
            switch (entry.Key)
            {
                case "enable":
                    recover = recover with { Enable = reader.Bool(entry.Value, entry.Path) };
                    break;
                case "hook_stopped_reasons":
                    var reasons = reader.StringList(entry.Value, entry.Path);
                    if (reasons.Any(r => r.Trim().Length == 0))
                    {
                        throw reader.Error(entry.Value, $"{entry.Path}: an empty reason would match every stop; remove it or write part of a StoppedReason, e.g. \"{RecoverConfig.MaintenanceReason}\"");
                    }
                    recover = recover with { HookStoppedReasons = reasons };
                    break;
                case "max_per_hour":
                    var max = reader.Int(entry.Value, entry.Path);
                    if (max is < 0 or > 60)
                    {
                        throw reader.Error(entry.Value, $"{entry.Path}: {max} is out of range; write 0 (never relaunch) to 60");
                    }
                    recover = recover with { MaxPerHour = max };
                    break;
                default:
                    reader.WarnUnknown(entry, "enable, hook_stopped_reasons, max_per_hour");
                    break;
            }
        }
        return recover;
    }

    private T Unknown<T>(ConfigEntry entry, string knownKeys, T unchanged)
    {
        reader.WarnUnknown(entry, knownKeys);
        return unchanged;
    }
}
