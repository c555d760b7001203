using Mirage.Model.Configuration;
using static Mirage.Model.Tests.Configuration.ConfigFixtures;

namespace Mirage.Model.Tests.Configuration;

public sealed class ConfigKeyTableTests
{
    private static readonly ConfigKeyHandler<int> Keep = static (_, _, value) => value;

    // The keys each mapping offered before its keys moved into one table: the warning must still name exactly these.
    public static TheoryData<string, string, string> UnknownKeyInEverySection => new()
    {
        { "zz: 1", "zz", "host, listen, network, htmldir, parameters, ecs, link, auth, purge, local, intents, gitops, recover, sleep, cluster, access_log" },
        { "host: {zz: 1}", "host.zz", "webapi, reverse_proxy_suffix" },
        { "listen: {zz: 1}", "listen.zz", "foreign_address, http" },
        { "listen: {http: [{listen: 80, target: 80, zz: 1}]}", "listen.http[0].zz", "listen, target, require_auth_cookie" },
        { "network: {zz: 1}", "network.zz", "proxy_timeout, trusted_proxies" },
        { "parameters: [{name: branch, zz: 1}]", "parameters[0].zz", "name, env, rule, required, default, description, options" },
        { "parameters: [{name: app, options: [{label: a, value: b, zz: 1}]}]", "parameters[0].options[0].zz", "label, value" },
        { "ecs: {zz: 1}", "ecs.zz", "region, cluster, launch_type, capacity_provider_strategy, network_configuration, default_task_definition, enable_execute_command, events_queue_url, requests_per_second, request_burst" },
        { "ecs: {capacity_provider_strategy: [{capacity_provider: FARGATE, zz: 1}]}", "ecs.capacity_provider_strategy[0].zz", "capacity_provider, weight, base" },
        { "ecs: {network_configuration: {awsvpc_configuration: {subnets: [s]}, zz: 1}}", "ecs.network_configuration.zz", "awsvpc_configuration" },
        { "ecs: {network_configuration: {awsvpc_configuration: {subnets: [s], zz: 1}}}", "ecs.network_configuration.awsvpc_configuration.zz", "subnets, security_groups, assign_public_ip" },
        { "link: {zz: 1}", "link.zz", "hosted_zone_id, default_task_definitions, exclude_containers" },
        { "auth: {zz: 1}", "auth.zz", "cookie_secret, token, basic, amzn_oidc" },
        { "auth: {token: {header: x-token, token: t, zz: 1}}", "auth.token.zz", "header, token" },
        { "auth: {basic: {username: u, password: p, zz: 1}}", "auth.basic.zz", "username, password" },
        { $"auth: {{amzn_oidc: {{alb_arn: \"{AlbArn.Example}\", zz: 1}}}}", "auth.amzn_oidc.zz", "claim, matchers, alb_arn" },
        { $"auth: {{amzn_oidc: {{alb_arn: \"{AlbArn.Example}\", matchers: [{{exact: a@example.com, zz: 1}}]}}}}", "auth.amzn_oidc.matchers[0].zz", "exact, suffix" },
        { "purge: {zz: 1}", "purge.zz", "schedule, request, dry_run" },
        { "purge: {request: {zz: 1}}", "purge.request.zz", "duration, excludes, exclude_tags, exclude_regexp" },
        { "local: {zz: 1}", "local.zz", "task_definitions, data_dir, runtime" },
        { "gitops: {file: ./desired.yaml, zz: 1}", "gitops.zz", "file, check_interval" },
        { "recover: {zz: 1}", "recover.zz", "enable, hook_stopped_reasons, max_per_hour, parameter" },
        { "cluster: {zz: 1}", "cluster.zz", "lease_table, lease_name, lease_duration, renew_interval, routes_poll_interval, nudge_poll_interval" },
    };

    [Theory]
    [MemberData(nameof(UnknownKeyInEverySection))]
    public void An_unknown_key_warning_lists_exactly_the_keys_its_section_reads(string yaml, string path, string allowed)
    {
        var warning = Assert.Single(Load(yaml).Warnings, w => w.Message.StartsWith("unknown key", StringComparison.Ordinal));

        Assert.Equal(1, warning.Line);
        Assert.Equal($"unknown key {path} is ignored; check its spelling and indentation (keys allowed here: {allowed})", warning.Message);
    }

    [Fact]
    public void Listed_keys_keep_their_order_and_unlisted_keys_are_not_offered()
    {
        var table = new ConfigKeyTable<int>([("webapi", Keep), ("cluster", Keep)], unlisted: [("https", Keep)]);

        Assert.Equal("webapi, cluster", table.KnownKeys);
    }

    [Fact]
    public void A_key_written_twice_in_one_table_is_refused_when_the_table_is_built()
    {
        var error = Assert.Throws<ArgumentException>(() => new ConfigKeyTable<int>([("webapi", Keep)], unlisted: [("webapi", Keep)]));

        Assert.Contains("webapi", error.Message, StringComparison.Ordinal);
    }
}
