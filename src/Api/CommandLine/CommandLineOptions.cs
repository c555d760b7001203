using Mirage.Model.Configuration;

namespace Mirage.Api.CommandLine;

/// <summary>
/// mirage-ecs's flags (and their <c>MIRAGE_*</c> environment variables) after parsing, plus the subcommand when the
/// arguments name one.
/// </summary>
public sealed record CommandLineOptions
{
    /// <summary><c>-conf</c>: config file path or s3:// URL; empty means built-in defaults.</summary>
    public string Conf { get; init; } = "";

    /// <summary><c>-domain</c>, always with its leading dot.</summary>
    public string Domain { get; init; } = ".local";

    /// <summary><c>-local</c>: local mode (localtest.me hosts, the embedded backend).</summary>
    public bool Local { get; init; }

    /// <summary><c>-compat-v1</c>: POST /api/* takes any body type and SUBDOMAIN is base64-encoded.</summary>
    public bool CompatV1 { get; init; }

    /// <summary><c>-default-port</c>: listen and target port when the config has no <c>listen</c> section.</summary>
    public int DefaultPort { get; init; } = 80;

    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary><c>-x</c>: print the resolved config (secrets redacted) and exit.</summary>
    public bool DumpConfig { get; init; }

    /// <summary><c>-version</c> or <c>-v</c>: print the version and exit.</summary>
    public bool ShowVersion { get; init; }

    /// <summary><c>-h</c> or <c>-help</c>: print <see cref="CommandLineParser.Usage"/> and exit.</summary>
    public bool ShowHelp { get; init; }

    /// <summary>The subcommand (<c>launch</c>, <c>list</c>, …) or null to run the server.</summary>
    public string? Command { get; init; }

    /// <summary>The arguments after the subcommand, untouched.</summary>
    public IReadOnlyList<string> CommandArgs { get; init; } = [];

    /// <summary>Accepted but questionable input (an invalid log level), for the host to log once logging is set up.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public ConfigLoaderOptions ToLoaderOptions() => new() { Domain = Domain, DefaultPort = DefaultPort, Local = Local };
}
