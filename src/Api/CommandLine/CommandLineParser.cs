using System.Globalization;

namespace Mirage.Api.CommandLine;

/// <summary>
/// mirage-ecs's command line, with Go <c>flag</c> package rules: <c>-name</c> or <c>--name</c>, the value as the
/// next argument or after <c>=</c>; bool flags take a value only after <c>=</c>; parsing stops at <c>--</c> or the
/// first argument that is not a flag. Before the flags, each flag can come from <c>MIRAGE_{NAME}</c> (upper case,
/// <c>-</c> → <c>_</c>; empty values ignored), and explicit flags win. Hand-written rather than System.CommandLine
/// because these rules (single-dash long names, <c>-v</c> as a long flag, env defaults) are Go's, not POSIX's.
/// </summary>
public static class CommandLineParser
{
    /// <summary>Subcommands recognised as the first argument (or the first after the flags).</summary>
    public static IReadOnlyList<string> Subcommands { get; } = ["demo-app", "launch", "list", "logs", "terminate", "local-endpoints"];

    private static readonly IReadOnlyList<FlagDefinition> Flags =
    [
        new("conf", "string", "config file path or s3://bucket/key URL; empty for built-in defaults", Text((v, s) => v.Conf = s)),
        new("domain", "string", "reverse proxy suffix of environment hosts (default \".local\")", SetDomain),
        new("local", null, "local mode: *.localtest.me hosts and the embedded backend", (v, s) => SetBool(s, b => v.Local = b)),
        new("compat-v1", null, "v1 compatibility: any body type on POST /api/*, base64 SUBDOMAIN", (v, s) => SetBool(s, b => v.CompatV1 = b)),
        new("default-port", "int", "default listen and target port when the config has no listen section (default 80)", SetPort),
        new("log-format", "string", "text or json (default \"text\")", Text((v, s) => v.LogFormat = s)),
        new("log-level", "string", "debug, info, warn or error (default \"info\")", Text((v, s) => v.LogLevel = s)),
        new("x", null, "print the resolved config (secrets redacted) and exit", (v, s) => SetBool(s, b => v.DumpConfig = b)),
        new("version", null, "print the version and exit", (v, s) => SetBool(s, b => v.ShowVersion = b)),
        new("v", null, "print the version and exit", (v, s) => SetBool(s, b => v.ShowVersion = b)),
    ];

    /// <summary>The help text, in the layout of Go's <c>flag.PrintDefaults</c>.</summary>
    public static string Usage { get; } = BuildUsage();

    /// <param name="args">The process arguments, without the program name.</param>
    /// <param name="environment">Environment lookup (null = unset).</param>
    public static CommandLineParseResult Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var values = new ParsedValues();

        // MIRAGE_* first, so explicit flags override; an invalid env value only matters if no flag replaces it.
        var environmentErrors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var flag in Flags)
        {
            var name = "MIRAGE_" + flag.Name.ToUpperInvariant().Replace('-', '_');
            var value = environment(name);
            if (!string.IsNullOrEmpty(value) && flag.Apply(values, value) is { } problem)
            {
                environmentErrors[flag.Name] = $"invalid value \"{value}\" in {name}: {problem}";
            }
        }

        if (args.Count > 0 && Subcommands.Contains(args[0]))
        {
            return Finish(values, environmentErrors, args[0], [.. args.Skip(1)]);
        }

        var index = 0;
        while (index < args.Count)
        {
            var arg = args[index];
            if (arg == "--")
            {
                index++;
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                break;
            }
            index++;
            var body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            if (body.Length == 0 || body[0] is '-' or '=')
            {
                return Fail($"bad flag syntax: {arg}; write -name or -name=value");
            }
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? body : body[..equals];
            var inlineValue = equals < 0 ? null : body[(equals + 1)..];

            if (name is "h" or "help")
            {
                values.ShowHelp = true;
                continue;
            }
            var flag = Flags.FirstOrDefault(f => f.Name == name);
            if (flag is null)
            {
                return Fail($"unknown flag -{name}; the flags are {string.Join(", ", Flags.Select(f => "-" + f.Name))} (see -help)");
            }
            string value;
            if (inlineValue is not null)
            {
                value = inlineValue;
            }
            else if (flag.IsBool)
            {
                value = "true";
            }
            else if (index < args.Count)
            {
                value = args[index++];
            }
            else
            {
                return Fail($"flag -{name} needs a value, e.g. -{name} {flag.ValueKind switch { "int" => "8080", _ => "VALUE" }}");
            }
            environmentErrors.Remove(flag.Name);
            if (flag.Apply(values, value) is { } problem)
            {
                return Fail($"invalid value \"{value}\" for flag -{name}: {problem}");
            }
        }

        var rest = args.Skip(index).ToList();
        if (rest.Count > 0)
        {
            if (Subcommands.Contains(rest[0]))
            {
                return Finish(values, environmentErrors, rest[0], rest[1..]);
            }
            var hint = rest[0] is "true" or "false"
                ? "; bool flags take their value after =, e.g. -local=false"
                : $"; mirage takes flags and, first, an optional subcommand ({string.Join(", ", Subcommands)})";
            return Fail($"unexpected argument \"{rest[0]}\"{hint}");
        }
        return Finish(values, environmentErrors, null, []);
    }

    private static CommandLineParseResult Finish(ParsedValues values, Dictionary<string, string> environmentErrors, string? command, IReadOnlyList<string> commandArgs)
    {
        if (environmentErrors.Count > 0)
        {
            return Fail(environmentErrors.Values.First());
        }
        var format = values.LogFormat switch
        {
            "text" => LogFormat.Text,
            "json" => LogFormat.Json,
            _ => (LogFormat?)null,
        };
        if (format is null)
        {
            return Fail($"invalid log format (text or json): {values.LogFormat}");
        }
        var warnings = new List<string>();
        LogLevel? level = values.LogLevel.ToLowerInvariant() switch
        {
            "debug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => null,
        };
        if (level is null)
        {
            warnings.Add($"invalid log level \"{values.LogLevel}\" (use debug, info, warn or error); logging at info");
        }

        return new CommandLineParseResult(new CommandLineOptions
        {
            Conf = values.Conf,
            Domain = values.Domain,
            Local = values.Local,
            CompatV1 = values.CompatV1,
            DefaultPort = values.DefaultPort,
            LogFormat = format.Value,
            LogLevel = level ?? LogLevel.Information,
            DumpConfig = values.DumpConfig,
            ShowVersion = values.ShowVersion,
            ShowHelp = values.ShowHelp,
            Command = command,
            CommandArgs = commandArgs,
            Warnings = warnings,
        }, null);
    }

    private static CommandLineParseResult Fail(string error) => new(null, error);

    /// <summary>A string flag: any value is accepted here (log format and level are checked once, at the end).</summary>
    private static Func<ParsedValues, string, string?> Text(Action<ParsedValues, string> set) => (values, value) =>
    {
        set(values, value);
        return null;
    };

    private static string? SetDomain(ParsedValues values, string domain)
    {
        domain = domain.Trim();
        if (domain.Length == 0 || domain == ".")
        {
            return "give a domain such as .dev.example.net";
        }
        values.Domain = domain.StartsWith('.') ? domain : "." + domain;
        return null;
    }

    private static string? SetPort(ParsedValues values, string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return "use a port number from 1 to 65535";
        }
        values.DefaultPort = port;
        return null;
    }

    // Go's strconv.ParseBool.
    private static string? SetBool(string text, Action<bool> set)
    {
        switch (text)
        {
            case "1" or "t" or "T" or "true" or "TRUE" or "True":
                set(true);
                return null;
            case "0" or "f" or "F" or "false" or "FALSE" or "False":
                set(false);
                return null;
            default:
                return "use true or false (or 1 or 0)";
        }
    }

    private static string BuildUsage()
    {
        var lines = new List<string> { "Usage: mirage [flags]", "       mirage <" + string.Join("|", Subcommands) + "> [args]", "" };
        foreach (var flag in Flags)
        {
            lines.Add($"  -{flag.Name}{(flag.ValueKind is null ? "" : " " + flag.ValueKind)}");
            lines.Add($"        {flag.Description} (env MIRAGE_{flag.Name.ToUpperInvariant().Replace('-', '_')})");
        }
        return string.Join('\n', lines) + "\n";
    }

    /// <param name="ValueKind">Shown in the usage; null for bool flags.</param>
    /// <param name="Apply">Sets the value; returns what is wrong with it, or null.</param>
    private sealed record FlagDefinition(string Name, string? ValueKind, string Description, Func<ParsedValues, string, string?> Apply)
    {
        public bool IsBool => ValueKind is null;
    }

    /// <summary>The values as flags and env set them, before validation; one per parse.</summary>
    private sealed class ParsedValues
    {
        public string Conf { get; set; } = "";
        public string Domain { get; set; } = ".local";
        public bool Local { get; set; }
        public bool CompatV1 { get; set; }
        public int DefaultPort { get; set; } = 80;
        public string LogFormat { get; set; } = "text";
        public string LogLevel { get; set; } = "info";
        public bool DumpConfig { get; set; }
        public bool ShowVersion { get; set; }
        public bool ShowHelp { get; set; }
    }
}
