using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Mirage.Model.Configuration;

/// <summary>
/// The resolved configuration as YAML with mirage-ecs's snake_case keys (what <c>-x</c> prints). Unlike mirage-ecs,
/// secrets (<c>auth.cookie_secret</c>, <c>auth.token.token</c>, <c>auth.basic.password</c>) are printed as
/// <c>***</c> when set. The output loads back to the same configuration, secrets aside.
/// </summary>
public static class ConfigDump
{
    public const string Redacted = "***";

    public static string ToYaml(MirageConfig config)
    {
        var root = Map(
            ("host", Map(
                ("webapi", Str(config.Host.WebApi)),
                ("reverse_proxy_suffix", Str(config.Host.ReverseProxySuffix)))),
            ("listen", Map(
                ("foreign_address", Str(config.Listen.ForeignAddress)),
                ("http", List(config.Listen.Http.Select(p => Map(
                    ("listen", Num(p.Listen)),
                    ("target", Num(p.Target)),
                    ("require_auth_cookie", Bool(p.RequireAuthCookie)))))))),
            ("network", Map(
                ("proxy_timeout", Str(GoDuration.Format(config.Network.ProxyTimeout))),
                ("trusted_proxies", Strings(config.Network.TrustedProxies.Select(n => n.ToString()))))),
            ("htmldir", Str(config.HtmlDir)),
            ("parameters", List(config.Parameters.Select(p => Map(
                ("name", Str(p.Name)),
                ("env", Str(p.Env)),
                ("rule", Str(p.Rule)),
                ("required", Bool(p.Required)),
                ("default", Str(p.Default)),
                ("description", Str(p.Description)),
                ("options", List(p.Options.Select(o => Map(("label", Str(o.Label)), ("value", Str(o.Value)))))))))),
            ("ecs", Ecs(config.Ecs)),
            ("link", Map(
                ("hosted_zone_id", Str(config.Link.HostedZoneId)),
                ("default_task_definitions", config.Link.DefaultTaskDefinitions is { } defaults ? Strings(defaults) : Null()),
                ("exclude_containers", Strings(config.Link.ExcludeContainers)))),
            ("auth", config.Auth is { } auth ? Auth(auth) : Null()),
            ("purge", config.Purge is { } purge ? Purge(purge) : Null()),
            ("local", Map(
                ("task_definitions", Str(config.Local.TaskDefinitions)),
                ("data_dir", Str(config.Local.DataDir)),
                ("runtime", Str(config.Local.Runtime)))),
            ("intents", Str(config.Intents)),
            ("gitops", config.GitOps is { } gitOps
                ? Map(("file", Str(gitOps.File)), ("check_interval", Str(GoDuration.Format(gitOps.CheckInterval))))
                : Null()),
            ("recover", Map(
                ("enable", Bool(config.Recover.Enable)),
                ("parameter", Map(
                    ("name", Str(config.Recover.Parameter.Name)),
                    ("env", Str(config.Recover.Parameter.Env)),
                    ("default", Str(config.Recover.Parameter.Default)))),
                ("hook_stopped_reasons", Strings(config.Recover.HookStoppedReasons)),
                ("max_per_hour", Num(config.Recover.MaxPerHour)))),
            ("sleep", Map(
                ("sleep_after", config.Sleep.SleepAfter is { } after ? Str(GoDuration.Format(after)) : Null()),
                ("wake_timeout", Str(GoDuration.Format(config.Sleep.WakeTimeout))))),
            ("cluster", Map(
                ("lease_table", Str(config.Cluster.LeaseTable)),
                ("lease_name", Str(config.Cluster.LeaseName)),
                ("lease_duration", Str(GoDuration.Format(config.Cluster.LeaseDuration))),
                ("renew_interval", Str(GoDuration.Format(config.Cluster.RenewInterval))),
                ("routes_poll_interval", Str(GoDuration.Format(config.Cluster.RoutesPollInterval))),
                ("nudge_poll_interval", Str(GoDuration.Format(config.Cluster.NudgePollInterval))))),
            ("access_log", Bool(config.AccessLog)));

        var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // A single document needs no end marker; a printed file ends with a newline.
        text = text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
        return text.EndsWith('\n') ? text : text + "\n";
    }

    private static YamlMappingNode Ecs(EcsConfig ecs) => Map(
        ("region", Str(ecs.Region)),
        ("cluster", Str(ecs.Cluster)),
        ("launch_type", ecs.LaunchType is { } launchType ? Str(launchType) : Null()),
        ("capacity_provider_strategy", ecs.CapacityProviderStrategy is { } strategy
            ? List(strategy.Select(s => Map(("capacity_provider", Str(s.CapacityProvider)), ("weight", Num(s.Weight)), ("base", Num(s.Base)))))
            : Null()),
        ("network_configuration", ecs.NetworkConfiguration?.AwsVpcConfiguration is { } awsvpc
            ? Map(("awsvpc_configuration", Map(
                ("subnets", Strings(awsvpc.Subnets)),
                ("security_groups", Strings(awsvpc.SecurityGroups)),
                ("assign_public_ip", awsvpc.AssignPublicIp is { } assign ? Str(assign) : Null()))))
            : Null()),
        ("default_task_definition", Str(ecs.DefaultTaskDefinition)),
        ("enable_execute_command", Bool(ecs.EnableExecuteCommand)),
        ("events_queue_url", Str(ecs.EventsQueueUrl)),
        ("requests_per_second", Num(ecs.RequestsPerSecond)),
        ("request_burst", Num(ecs.RequestBurst)));

    private static YamlMappingNode Auth(AuthConfig auth) => Map(
        ("cookie_secret", Secret(auth.CookieSecret)),
        ("token", auth.Token is { } token ? Map(("header", Str(token.Header)), ("token", Secret(token.Token))) : Null()),
        ("basic", auth.Basic is { } basic ? Map(("username", Str(basic.Username)), ("password", Secret(basic.Password))) : Null()),
        ("amzn_oidc", auth.AmznOidc is { } oidc
            ? Map(
                ("claim", Str(oidc.Claim)),
                ("matchers", List(oidc.Matchers.Select(m => Map(
                    ("exact", m.Exact is { } exact ? Str(exact) : Null()),
                    ("suffix", m.Suffix is { } suffix ? Str(suffix) : Null()))))),
                ("alb_arn", oidc.AlbArn is { } arn ? Str(arn) : Null()))
            : Null()));

    private static YamlMappingNode Purge(PurgeConfig purge) => Map(
        ("schedule", Str(purge.Schedule)),
        ("request", Map(
            ("duration", Num((long)purge.Request.Duration.TotalSeconds)),
            ("excludes", Strings(purge.Request.Excludes)),
            ("exclude_tags", Strings(purge.Request.ExcludeTags)),
            ("exclude_regexp", Str(purge.Request.ExcludeRegexp)))),
        ("dry_run", Bool(purge.DryRun)));

    private static YamlMappingNode Map(params (string Key, YamlNode Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in entries)
        {
            map.Add(new YamlScalarNode(key), value);
        }
        return map;
    }

    private static YamlSequenceNode List(IEnumerable<YamlNode> items)
    {
        var list = new YamlSequenceNode(items);
        if (list.Children.Count == 0)
        {
            list.Style = SequenceStyle.Flow;
        }
        return list;
    }

    private static YamlSequenceNode Strings(IEnumerable<string> items) => List(items.Select(Str));

    // Strings are always quoted so that values such as "80", "true" or "" read back as strings.
    private static YamlScalarNode Str(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    private static YamlScalarNode Secret(string value) => Str(value.Length == 0 ? "" : Redacted);

    private static YamlScalarNode Num(long value) => new(value.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };

    private static YamlScalarNode Bool(bool value) => new(value ? "true" : "false") { Style = ScalarStyle.Plain };

    private static YamlScalarNode Null() => new("null") { Style = ScalarStyle.Plain };
}
