namespace Mirage.LocalEcs;

/// <summary>Settings of the embedded ECS backend; validated when the host starts.</summary>
public sealed class LocalEcsOptions
{
    /// <summary>Folder of task definition JSON files (the register-task-definition input form).</summary>
    public string TaskDefinitionsFolder { get; set; } = "./deploy/local/task-definitions";

    /// <summary>Folder for the task journal, log files and the remembered endpoint port.</summary>
    public string StateFolder { get; set; } = "./.mirage/localecs";

    public string Region { get; set; } = "us-east-1";

    /// <summary>Twelve digits, used in the ARNs LocalEcs makes up.</summary>
    public string AccountId { get; set; } = "123456789012";

    public string Cluster { get; set; } = "mirage-local";

    /// <summary>Port of the metadata and credentials endpoints on 127.0.0.1; 0 picks a free one once and remembers it.</summary>
    public int EndpointPort { get; set; }

    /// <summary>Time between SIGTERM and SIGKILL when a task stops, unless the container sets <c>stopTimeout</c>.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a task may take until all its ports accept connections before it fails to start.</summary>
    public TimeSpan PortReadyTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a stopped task (and its client token) stays listed, as ECS keeps stopped tasks about an hour.</summary>
    public TimeSpan StoppedTaskRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Log lines kept in memory per container (the oldest are dropped first).</summary>
    public int LogLinesPerContainer { get; set; } = 10_000;

    /// <summary>Bytes of log text kept in memory per container.</summary>
    public int LogBytesPerContainer { get; set; } = 4 * 1024 * 1024;

    /// <summary>A process's log file on disk is emptied after it has been read once it grows past this size.</summary>
    public long LogFileMaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>How often log files and adopted processes are polled.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>STS endpoint for task role credentials; null uses the SDK's regional endpoint. Defaults from <c>AWS_ENDPOINT_URL_STS</c> or <c>AWS_ENDPOINT_URL</c>.</summary>
    public string? StsServiceUrl { get; set; }

    /// <summary>
    /// Expiry given to passed-through temporary base credentials whose real expiry the chain does not report. Longer
    /// than the .NET SDK's 15-minute pre-emption window, unlike the ECS local endpoints' 750 s.
    /// </summary>
    public TimeSpan PassThroughCredentialsLifetime { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Credentials are re-fetched this long before they expire.</summary>
    public TimeSpan CredentialsRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Variables every local process gets besides the allow-listed part of Mirage's environment (e.g. where the mirage executable is).</summary>
    public Dictionary<string, string> ExtraEnvironment { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How containers run: <c>process</c> (local processes on 127.0.0.1) or <c>docker</c> (containers of the
    /// Docker-API engine at <see cref="DockerHost"/>).
    /// </summary>
    public string Runtime { get; set; } = "process";

    /// <summary>The Docker-API engine for the docker runtime: <c>unix:///path</c> or <c>tcp://host:port</c>.</summary>
    public string DockerHost { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>The engine network task containers join (created when missing, with <see cref="ContainerSubnet"/>).</summary>
    public string ContainerNetwork { get; set; } = "mirage-local";

    public string ContainerSubnet { get; set; } = "169.254.170.0/24";

    /// <summary>
    /// The network's gateway: the host's address on it. The endpoints listen there too, and containers get it in
    /// their metadata and credentials URIs (169.254.170.2, where ECS serves them and where AWS SDKs accept plain HTTP).
    /// </summary>
    public string ContainerEndpointAddress { get; set; } = "169.254.170.2";

    public string JournalFolder => Path.Combine(StateFolder, "tasks");

    public string LogFolder => Path.Combine(StateFolder, "logs");
}
