namespace Mirage.Model.Configuration;

/// <summary>
/// The resolved configuration: the mirage-ecs YAML file (every key of its v2 config, same names) plus Mirage's own
/// <c>local</c> section. Defaults are mirage-ecs's. Built by <see cref="ConfigLoader"/>.
/// </summary>
public sealed record MirageConfig
{
    public HostConfig Host { get; init; } = new();
    public ListenConfig Listen { get; init; } = new();
    public NetworkConfig Network { get; init; } = new();
    public string HtmlDir { get; init; } = "./html";
    public IReadOnlyList<ParameterConfig> Parameters { get; init; } = [ParameterConfig.DefaultBranch];
    public EcsConfig Ecs { get; init; } = new();
    public LinkConfig Link { get; init; } = new();
    public AuthConfig? Auth { get; init; }
    public PurgeConfig? Purge { get; init; }
    public LocalConfig Local { get; init; } = new();

    /// <summary>
    /// Where intents live when not in local mode: <c>s3://bucket/prefix/</c> (shared by replicas), or empty for files
    /// under <see cref="LocalConfig.DataDir"/>. Not a mirage-ecs key.
    /// </summary>
    public string Intents { get; init; } = "";

    /// <summary>The desired-environments file; not a mirage-ecs key.</summary>
    public GitOpsConfig? GitOps { get; init; }

    /// <summary>Relaunch after infrastructure maintenance (mirage-ecs's later <c>recover</c>).</summary>
    public RecoverConfig Recover { get; init; } = new();

    /// <summary>Sleep and wake: the default <c>sleep_after</c> and how long a request waits for a wake.</summary>
    public SleepConfig Sleep { get; init; } = new();
    /// <summary>Several replicas with one leader (a lease in DynamoDB); not a mirage-ecs key.</summary>
    public ClusterConfig Cluster { get; init; } = new();
    /// <summary>
    /// One JSON line per web UI and API request on stdout, in echo's format as mirage-ecs writes it; proxied
    /// requests are never access-logged. Not a mirage-ecs key (mirage-ecs cannot turn it off).
    /// </summary>
    public bool AccessLog { get; init; } = true;
}

public sealed record HostConfig
{
    /// <summary>Host name of the web UI and API, e.g. <c>mirage.dev.example.net</c>.</summary>
    public string WebApi { get; init; } = "mirage.local";

    /// <summary>Suffix of environment hosts, with its leading dot, e.g. <c>.dev.example.net</c>.</summary>
    public string ReverseProxySuffix { get; init; } = ".local";
}

public sealed record ListenConfig
{
    public string ForeignAddress { get; init; } = "0.0.0.0";
    public IReadOnlyList<ListenPort> Http { get; init; } = [new ListenPort(80, 80)];
}

/// <param name="Listen">Port Mirage listens on.</param>
/// <param name="Target">Container port requests on this listener are forwarded to.</param>
/// <param name="RequireAuthCookie">Proxied requests on this port need a valid <c>mirage-ecs-auth</c> cookie.</param>
public sealed record ListenPort(int Listen, int Target, bool RequireAuthCookie = false);

public sealed record NetworkConfig
{
    /// <summary>How long to wait for an upstream's response headers; zero means no limit.</summary>
    public TimeSpan ProxyTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Peers whose <c>X-Forwarded-For/-Proto/-Host</c> are believed and passed on (the ALB); from anyone else these
    /// headers are replaced with what Mirage itself sees. Not a mirage-ecs key.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = DefaultTrustedProxies;

    /// <summary>The private ranges an ALB in a VPC talks from; loopback is deliberately not among them.</summary>
    public static IReadOnlyList<System.Net.IPNetwork> DefaultTrustedProxies { get; } =
        [System.Net.IPNetwork.Parse("10.0.0.0/8"), System.Net.IPNetwork.Parse("172.16.0.0/12"), System.Net.IPNetwork.Parse("192.168.0.0/16")];
}

public sealed record ParameterConfig
{
    public required string Name { get; init; }
    public string Env { get; init; } = "";
    /// <summary>RE2-style regular expression; unanchored (the value only has to contain a match), as mirage-ecs.</summary>
    public string Rule { get; init; } = "";
    public bool Required { get; init; }
    public string Default { get; init; } = "";
    public string Description { get; init; } = "";
    public IReadOnlyList<ParameterOption> Options { get; init; } = [];

    /// <summary>The parameter every config has: appended when the file does not define <c>branch</c>.</summary>
    public static ParameterConfig DefaultBranch { get; } = new() { Name = "branch", Env = "GIT_BRANCH", Required = true };
}

public sealed record ParameterOption(string Label, string Value);

public sealed record EcsConfig
{
    public string Region { get; init; } = "";
    public string Cluster { get; init; } = "";
    public string? LaunchType { get; init; }
    public IReadOnlyList<CapacityProviderStrategyItem>? CapacityProviderStrategy { get; init; }
    public NetworkConfiguration? NetworkConfiguration { get; init; }
    public string DefaultTaskDefinition { get; init; } = "";
    public bool EnableExecuteCommand { get; init; } = true;

    /// <summary>
    /// An SQS queue an EventBridge rule fills with the cluster's ECS Task State Change events ("" = no watch): Mirage
    /// long-polls it and acts on a task change within seconds, and the full resync runs every 5 minutes instead of 30 s.
    /// </summary>
    public string EventsQueueUrl { get; init; } = "";

    /// <summary>
    /// The rate of Mirage's ECS calls (a token bucket every call takes from; a ThrottlingException halves it for a
    /// while). ECS's own limits are per account, so Mirage keeps well below them and leaves room for the team's tools.
    /// </summary>
    public int RequestsPerSecond { get; init; } = 20;

    /// <summary>How many ECS calls may go at once before <see cref="RequestsPerSecond"/> applies.</summary>
    public int RequestBurst { get; init; } = 50;
}

public sealed record CapacityProviderStrategyItem(string CapacityProvider, int Weight = 0, int Base = 0);

public sealed record NetworkConfiguration(AwsVpcConfiguration? AwsVpcConfiguration);

public sealed record AwsVpcConfiguration
{
    public IReadOnlyList<string> Subnets { get; init; } = [];
    public IReadOnlyList<string> SecurityGroups { get; init; } = [];
    /// <summary>ENABLED or DISABLED, as the ECS API spells it.</summary>
    public string? AssignPublicIp { get; init; }
}

public sealed record LinkConfig
{
    public string HostedZoneId { get; init; } = "";
    public IReadOnlyList<string>? DefaultTaskDefinitions { get; init; }
    /// <summary>Container names (or path.Match patterns) that get no Route53 record.</summary>
    public IReadOnlyList<string> ExcludeContainers { get; init; } = [];
}

public sealed record AuthConfig
{
    public string CookieSecret { get; init; } = "";
    public TokenAuthConfig? Token { get; init; }
    public BasicAuthConfig? Basic { get; init; }
    public AmznOidcAuthConfig? AmznOidc { get; init; }
}

public sealed record TokenAuthConfig(string Header, string Token);

public sealed record BasicAuthConfig(string Username, string Password);

public sealed record AmznOidcAuthConfig
{
    public string Claim { get; init; } = "";
    public IReadOnlyList<OidcClaimMatcher> Matchers { get; init; } = [];
    /// <summary>
    /// Only tokens signed by this ALB are accepted; required by the config loader when <c>amzn_oidc</c> is set
    /// (mirage-ecs does not check the signer). Its region also says where the signing keys are fetched from.
    /// </summary>
    public string? AlbArn { get; init; }
}

public sealed record OidcClaimMatcher(string? Exact, string? Suffix);

public sealed record PurgeConfig
{
    /// <summary>EventBridge-style cron with six fields, e.g. <c>13 4 * * ? *</c>.</summary>
    public string Schedule { get; init; } = "";
    public PurgeRequestConfig Request { get; init; } = new();
    public bool DryRun { get; init; }
}

public sealed record PurgeRequestConfig
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromDays(1);
    public IReadOnlyList<string> Excludes { get; init; } = [];
    public IReadOnlyList<string> ExcludeTags { get; init; } = [];
    public string ExcludeRegexp { get; init; } = "";
}

/// <summary>Mirage's embedded backend (LocalEcs); not a mirage-ecs key.</summary>
public sealed record LocalConfig
{
    /// <summary>
    /// Folder of ECS task definition JSON files (the register-task-definition input form); empty means the examples
    /// shipped with Mirage (the <c>demo</c> task definition among them).
    /// </summary>
    public string TaskDefinitions { get; init; } = "";

    /// <summary>Folder where intents and other durable state live.</summary>
    public string DataDir { get; init; } = "./.mirage";

    /// <summary>
    /// How LocalEcs runs containers: <c>process</c>, <c>docker</c> (a Docker-API engine), or <c>auto</c> (the
    /// default): docker when an engine answers at <c>DOCKER_HOST</c> or the default socket, else process.
    /// </summary>
    public string Runtime { get; init; } = "auto";
}

/// <summary>Where the desired-environments file is and how often it is read even without a change notification.</summary>
public sealed record GitOpsConfig
{
    /// <summary>A local path or an <c>s3://bucket/key</c> URL.</summary>
    public string File { get; init; } = "";

    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Which task stops are not the environment's fault (ECS maintenance, a Mirage shutdown) and are relaunched without
/// counting as restarts, at most <see cref="MaxPerHour"/> times an hour per environment.
/// </summary>
public sealed record RecoverConfig
{
    public const string MaintenanceReason = "ECS is performing maintenance on the underlying infrastructure hosting the task";

    public bool Enable { get; init; } = true;

    /// <summary>A stopped task whose StoppedReason contains one of these was stopped by the infrastructure.</summary>
    public IReadOnlyList<string> HookStoppedReasons { get; init; } = [MaintenanceReason];

    public int MaxPerHour { get; init; } = 3;

    /// <summary>
    /// mirage-ecs's <c>recover.parameter</c>: a recovery relaunch sets this parameter to its default, so the
    /// application can tell it was relaunched (env <c>RELAUNCH=on</c> unless configured).
    /// </summary>
    public ParameterConfig Parameter { get; init; } = DefaultParameter;

    public static ParameterConfig DefaultParameter { get; } = new() { Name = "Relaunch", Env = "RELAUNCH", Default = "on" };
}

/// <summary>
/// Idle environments sleep (tasks stopped, route kept) and wake on the first request to their host.
/// </summary>
public sealed record SleepConfig
{
    /// <summary>The default for environments that set none: sleep after this long without a request; null: never.</summary>
    public TimeSpan? SleepAfter { get; init; }

    /// <summary>How long a request to a waking host waits for the app before it gets 503 with Retry-After.</summary>
    public TimeSpan WakeTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Several replicas behind the ALB: one leader, elected with a lease (an item of a DynamoDB table), reconciles; every
/// replica serves the API, UI and Edge. No table: one replica that always leads.
/// </summary>
public sealed record ClusterConfig
{
    /// <summary>The DynamoDB table holding the lease (partition key <c>name</c>, a string); empty: no lease.</summary>
    public string LeaseTable { get; init; } = "";

    /// <summary>The lease item's key, so several Mirages can share one table.</summary>
    public string LeaseName { get; init; } = "mirage";

    /// <summary>How long a lease lasts without renewal: a dead leader is replaced within about this long.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the leader renews and every replica heartbeats (and looks for a lease to take).</summary>
    public TimeSpan RenewInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a follower asks for the leader's route table (a conditional GET, 304 when unchanged).</summary>
    public TimeSpan RoutesPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the leader asks whether a follower wrote an intent (a conditional GET of the nudge object, 304 when
    /// nothing was written), so a launch or wake sent to a follower is reconciled within about this long.
    /// </summary>
    public TimeSpan NudgePollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public bool Enabled => LeaseTable.Length > 0;
}
