using Mirage.Model.Configuration;
using static Mirage.Model.Tests.Configuration.ConfigFixtures;

namespace Mirage.Model.Tests.Configuration;

public sealed class ConfigLoaderSampleTests
{
    private static readonly (string, string)[] FullEnvironment =
    [
        ("MIRAGE_COOKIE_SECRET", "cookie-secret-value"),
        ("MIRAGE_TOKEN", "token-value"),
        ("MIRAGE_PASSWORD", "pa\"ss"),
    ];

    [Fact]
    public void Full_readme_example_loads_every_section()
    {
        var result = Loader(FullEnvironment).Load(Sample("full.yml"), new ConfigLoaderOptions());
        var config = result.Config;

        Assert.Empty(result.Warnings);
        Assert.Equal("mirage.dev.example.net", config.Host.WebApi);
        Assert.Equal(".dev.example.net", config.Host.ReverseProxySuffix);

        Assert.Equal("0.0.0.0", config.Listen.ForeignAddress);
        Assert.Equal([new ListenPort(80, 80, false), new ListenPort(8080, 3000, true)], config.Listen.Http);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Network.ProxyTimeout);
        Assert.Equal(["10.0.0.0/16", "fd00::/8"], config.Network.TrustedProxies.Select(n => n.ToString()));
        Assert.Equal("./html", config.HtmlDir);

        Assert.Equal(["branch", "nick", "app_env"], config.Parameters.Select(p => p.Name));
        var branch = config.Parameters[0];
        Assert.Equal(("GIT_BRANCH", "[a-z0-9-]+", true, "The git branch to deploy"), (branch.Env, branch.Rule, branch.Required, branch.Description));
        var nick = config.Parameters[1];
        Assert.Equal(("NICK", "^[A-Za-z]+$", false, "mirage", "Your nickname"), (nick.Env, nick.Rule, nick.Required, nick.Default, nick.Description));
        Assert.Equal([new ParameterOption("Development", "development"), new ParameterOption("Staging", "staging")], config.Parameters[2].Options);

        Assert.Equal("ap-northeast-1", config.Ecs.Region);
        Assert.Equal("mirage", config.Ecs.Cluster);
        Assert.Null(config.Ecs.LaunchType);
        Assert.Equal([new CapacityProviderStrategyItem("FARGATE_SPOT", 1, 0), new CapacityProviderStrategyItem("FARGATE", 0, 1)], config.Ecs.CapacityProviderStrategy!);
        var awsvpc = config.Ecs.NetworkConfiguration!.AwsVpcConfiguration!;
        Assert.Equal(["subnet-aaaa0000", "subnet-bbbb1111"], awsvpc.Subnets);
        Assert.Equal(["sg-11112222"], awsvpc.SecurityGroups);
        Assert.Equal("ENABLED", awsvpc.AssignPublicIp);
        Assert.Equal("arn:aws:ecs:ap-northeast-1:123456789012:task-definition/myapp", config.Ecs.DefaultTaskDefinition);
        Assert.False(config.Ecs.EnableExecuteCommand);

        Assert.Equal("Z00000000000000000000", config.Link.HostedZoneId);
        Assert.Equal(2, config.Link.DefaultTaskDefinitions!.Count);
        Assert.EndsWith("task-definition/myapp-worker", config.Link.DefaultTaskDefinitions[1], StringComparison.Ordinal);
        Assert.Equal(["log-router", "sidecar-*"], config.Link.ExcludeContainers);

        var auth = config.Auth!;
        Assert.Equal("cookie-secret-value", auth.CookieSecret);
        Assert.Equal(new TokenAuthConfig("x-mirage-token", "token-value"), auth.Token);
        // json_escape turned the quote into \" and YAML's double-quoted string turned it back.
        Assert.Equal(new BasicAuthConfig("admin", "pa\"ss"), auth.Basic);
        Assert.Equal("email", auth.AmznOidc!.Claim);
        Assert.Equal([new OidcClaimMatcher(null, "@example.com"), new OidcClaimMatcher("someone@example.net", null)], auth.AmznOidc.Matchers);
        Assert.Equal("arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/mirage/50dc6c495c0c9188", auth.AmznOidc.AlbArn);

        var purge = config.Purge!;
        Assert.Equal("13 4 * * ? *", purge.Schedule);
        Assert.Equal(TimeSpan.FromDays(1), purge.Request.Duration);
        Assert.Equal(["main", "develop"], purge.Request.Excludes);
        Assert.Equal(["DontPurge:true"], purge.Request.ExcludeTags);
        Assert.Equal("^release-", purge.Request.ExcludeRegexp);
        Assert.False(purge.DryRun);
    }

    [Fact]
    public void Region_template_prefers_the_environment_over_its_default()
    {
        var config = Loader([.. FullEnvironment, ("AWS_REGION", "eu-west-1")]).Load(Sample("full.yml"), new ConfigLoaderOptions()).Config;

        Assert.Equal("eu-west-1", config.Ecs.Region);
    }

    [Fact]
    public void No_file_gives_the_mirage_ecs_defaults()
    {
        var result = Loader(("AWS_REGION", "us-east-2")).LoadDefaults(new ConfigLoaderOptions());
        var config = result.Config;

        Assert.Empty(result.Warnings);
        Assert.Equal("mirage.local", config.Host.WebApi);
        Assert.Equal(".local", config.Host.ReverseProxySuffix);
        Assert.Equal("0.0.0.0", config.Listen.ForeignAddress);
        Assert.Equal([new ListenPort(80, 80)], config.Listen.Http);
        Assert.Equal(TimeSpan.Zero, config.Network.ProxyTimeout);
        // The private ranges an ALB talks from; not loopback.
        Assert.Equal(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], config.Network.TrustedProxies.Select(n => n.ToString()));
        Assert.Equal("./html", config.HtmlDir);
        Assert.Equal([ParameterConfig.DefaultBranch], config.Parameters);
        Assert.Equal(("branch", "GIT_BRANCH", true, ""), (config.Parameters[0].Name, config.Parameters[0].Env, config.Parameters[0].Required, config.Parameters[0].Rule));
        Assert.Equal("us-east-2", config.Ecs.Region);
        Assert.Equal("", config.Ecs.Cluster);
        Assert.True(config.Ecs.EnableExecuteCommand);
        Assert.Null(config.Ecs.LaunchType);
        Assert.Null(config.Auth);
        Assert.Null(config.Purge);
        Assert.Equal(new LocalConfig(), config.Local);
    }

    [Fact]
    public void Domain_and_default_port_come_from_the_options()
    {
        var config = Loader().LoadDefaults(new ConfigLoaderOptions { Domain = ".dev.example.net", DefaultPort = 8080 }).Config;

        Assert.Equal("mirage.dev.example.net", config.Host.WebApi);
        Assert.Equal(".dev.example.net", config.Host.ReverseProxySuffix);
        Assert.Equal([new ListenPort(8080, 8080)], config.Listen.Http);
    }

    [Fact]
    public void Keys_not_in_the_file_keep_their_defaults_and_a_given_list_replaces_the_default()
    {
        var config = Load("""
            host:
              webapi: api.example.com
            listen:
              http:
                - listen: 3000
                  target: 5000
            """).Config;

        Assert.Equal("api.example.com", config.Host.WebApi);
        Assert.Equal(".local", config.Host.ReverseProxySuffix);
        Assert.Equal("0.0.0.0", config.Listen.ForeignAddress);
        Assert.Equal([new ListenPort(3000, 5000)], config.Listen.Http);
    }

    [Fact]
    public void Branch_parameter_is_appended_when_absent_and_kept_where_defined()
    {
        var appended = Load("""
            parameters:
              - name: nick
                env: NICK
            """).Config;
        var defined = Load("""
            parameters:
              - name: branch
                env: BRANCH_NAME
              - name: nick
                env: NICK
            """).Config;

        Assert.Equal(["nick", "branch"], appended.Parameters.Select(p => p.Name));
        Assert.Equal(ParameterConfig.DefaultBranch, appended.Parameters[1]);
        Assert.Equal(["branch", "nick"], defined.Parameters.Select(p => p.Name));
        Assert.Equal("BRANCH_NAME", defined.Parameters[0].Env);
        Assert.False(defined.Parameters[0].Required);
    }

    [Fact]
    public void Local_mode_overrides_the_hosts_whatever_the_file_says()
    {
        var config = Loader().Load(new ConfigText("host:\n  webapi: mirage.example.com\n  reverse_proxy_suffix: .example.com\n", "x.yml"),
            new ConfigLoaderOptions { Local = true, Domain = ".dev.example.net" }).Config;

        Assert.Equal("mirage.localtest.me", config.Host.WebApi);
        Assert.Equal(".localtest.me", config.Host.ReverseProxySuffix);
    }

    [Fact]
    public void Terraform_style_config_reads_its_values_from_must_env()
    {
        var config = Loader(
                ("MIRAGE_WEBAPI", "mirage.dev.example.net"),
                ("MIRAGE_DOMAIN", ".dev.example.net"),
                ("HTMLDIR", "s3://bucket/html/"),
                ("MIRAGE_COOKIE_SECRET", "s3cr3t"),
                ("MIRAGE_ALB_ARN", "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/mirage/50dc6c495c0c9188"))
            .Load(Sample("terraform.yml"), new ConfigLoaderOptions()).Config;

        Assert.Equal("mirage.dev.example.net", config.Host.WebApi);
        Assert.Equal(".dev.example.net", config.Host.ReverseProxySuffix);
        Assert.Equal("s3://bucket/html/", config.HtmlDir);
        Assert.Equal("s3cr3t", config.Auth!.CookieSecret);
        Assert.True(config.Listen.Http.Single().RequireAuthCookie);
        Assert.Equal("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/mirage/50dc6c495c0c9188", config.Auth.AmznOidc!.AlbArn);
    }

    [Fact]
    public void Readme_spellings_are_accepted_with_warnings()
    {
        var result = Loader().Load(Sample("readme-spellings.yml"), new ConfigLoaderOptions());

        Assert.Equal([new OidcClaimMatcher(null, "@example.com")], result.Config.Auth!.AmznOidc!.Matchers);
        Assert.Collection(result.Warnings,
            storage =>
            {
                Assert.Equal(("readme-spellings.yml", 2), (storage.File, storage.Line));
                Assert.Contains("storage is not used", storage.Message, StringComparison.Ordinal);
            },
            matcher =>
            {
                Assert.Equal(8, matcher.Line);
                Assert.Contains("rename it to matchers", matcher.Message, StringComparison.Ordinal);
            });
    }

    [Fact]
    public void Unknown_keys_are_warnings_with_their_line_not_errors()
    {
        var result = Load("""
            host:
              webapi: mirage.example.com
              reverse_proxy_sufix: .example.com
            listen:
              https:
                - listen: 443
            colour: blue
            """);

        Assert.Equal(".local", result.Config.Host.ReverseProxySuffix);
        Assert.Collection(result.Warnings,
            typo =>
            {
                Assert.Equal(("mirage.yml", 3), (typo.File, typo.Line));
                Assert.Contains("host.reverse_proxy_sufix", typo.Message, StringComparison.Ordinal);
                Assert.Contains("reverse_proxy_suffix", typo.Message, StringComparison.Ordinal);
            },
            https =>
            {
                Assert.Equal(5, https.Line);
                Assert.Contains("listen.https is not used", https.Message, StringComparison.Ordinal);
            },
            colour =>
            {
                Assert.Equal(7, colour.Line);
                Assert.Contains("unknown key colour", colour.Message, StringComparison.Ordinal);
                Assert.Equal("mirage.yml:7: " + colour.Message, colour.ToString());
            });
    }

    [Fact]
    public void Require_auth_cookie_without_a_cookie_secret_warns()
    {
        var result = Load("""
            listen:
              http:
                - listen: 80
                  target: 80
                  require_auth_cookie: true
            """);

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(3, warning.Line);
        Assert.Contains("set auth.cookie_secret", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_1_1_booleans_merge_keys_and_empty_values_are_read_as_yaml_v2_does()
    {
        var config = Load("""
            defaults: &port
              target: 8000
            listen:
              foreign_address:
              http:
                - <<: *port
                  listen: 80
                  require_auth_cookie: yes
            ecs:
              enable_execute_command: off
            auth:
              cookie_secret: x
            """).Config;

        Assert.Equal("0.0.0.0", config.Listen.ForeignAddress);
        Assert.Equal([new ListenPort(80, 8000, true)], config.Listen.Http);
        Assert.False(config.Ecs.EnableExecuteCommand);
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("0", 0)]
    public void Proxy_timeout_reads_go_durations(string text, int milliseconds)
    {
        var config = Load($"network:\n  proxy_timeout: {text}\n").Config;

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), config.Network.ProxyTimeout);
    }

    [Theory]
    [InlineData("300", 300)]
    [InlineData("\"3600\"", 3600)]
    [InlineData("24h", 86400)]
    public void Purge_duration_reads_seconds_as_api_purge_does(string text, int seconds)
    {
        var config = Load($"purge:\n  request:\n    duration: {text}\n").Config;

        Assert.Equal(TimeSpan.FromSeconds(seconds), config.Purge!.Request.Duration);
    }

    [Fact]
    public void Empty_file_and_comment_only_file_give_defaults()
    {
        Assert.Equal("mirage.local", Load("").Config.Host.WebApi);
        Assert.Equal("mirage.local", Load("# nothing here\n").Config.Host.WebApi);
    }

    [Fact]
    public async Task File_source_reads_a_path_and_reports_a_missing_file()
    {
        var loader = Loader(FullEnvironment);
        var path = Path.Combine(AppContext.BaseDirectory, "Configuration", "Samples", "full.yml");
        IConfigSource[] sources = [new FileConfigSource()];

        var loaded = await loader.LoadAsync(path, sources, new ConfigLoaderOptions(), TestContext.Current.CancellationToken);
        var defaults = await loader.LoadAsync("", sources, new ConfigLoaderOptions(), TestContext.Current.CancellationToken);
        var missing = await Assert.ThrowsAsync<ConfigException>(() =>
            loader.LoadAsync("/nonexistent/mirage.yml", sources, new ConfigLoaderOptions(), TestContext.Current.CancellationToken));
        var s3 = await Assert.ThrowsAsync<ConfigException>(() =>
            loader.LoadAsync("s3://bucket/config.yml", sources, new ConfigLoaderOptions(), TestContext.Current.CancellationToken));

        Assert.Equal("mirage.dev.example.net", loaded.Config.Host.WebApi);
        Assert.Equal("mirage.local", defaults.Config.Host.WebApi);
        Assert.Equal("/nonexistent/mirage.yml: config file not found; check the -conf flag or MIRAGE_CONF", missing.Message);
        Assert.StartsWith("s3://bucket/config.yml: no reader", s3.Message, StringComparison.Ordinal);
    }
}
