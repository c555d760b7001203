using Mirage.Model.Configuration;
using static Mirage.Model.Tests.Configuration.ConfigFixtures;

namespace Mirage.Model.Tests.Configuration;

/// <summary>Every kind of bad config gives one message naming the file, the line and what to write instead.</summary>
public sealed class ConfigErrorTests
{
    private static void AssertError(ConfigException error, int line, params string[] fragments)
    {
        Assert.Equal("mirage.yml", error.File);
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"mirage.yml:{line}:", error.Message, StringComparison.Ordinal);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Invalid_yaml_names_line_and_column()
    {
        var error = LoadFails("host:\n  webapi: mirage.example.com\n  reverse_proxy_suffix: a: b\n");

        AssertError(error, 3, "invalid YAML", "check the indentation and quoting");
        Assert.NotNull(error.Column);
        Assert.DoesNotContain("(Line:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_flow_list_is_reported_where_it_opened_not_at_the_end_of_the_file()
    {
        var error = LoadFails("host:\n  webapi: mirage.example.com\n  reverse_proxy_suffix: [.example.com\nlisten:\n");

        AssertError(error, 3, "invalid YAML: this [ is never closed", "add the ]");
        Assert.Equal(25, error.Column);
    }

    [Theory]
    [InlineData("parameters:\n  - name: a\n  - {name: b, env: B\n  - name: c\nhost:\n  webapi: x\n", 3, 5, "this { is never closed", "add the }")]
    [InlineData("host:\n  webapi: \"mirage.example.com\nlisten:\n  foreign_address: 127.0.0.1\n", 2, 11, "invalid YAML", "quoted scalar")]
    [InlineData("a: [1, [2, 3]\nb: 1\nc: 2\n", 1, 4, "this [ is never closed", "add the ]")]
    public void An_unclosed_construct_is_reported_at_the_line_it_opened(string yaml, int line, int column, string problem, string fix)
    {
        var error = LoadFails(yaml);

        AssertError(error, line, problem, fix);
        Assert.Equal(column, error.Column);
    }

    [Fact]
    public void Bad_indentation_is_invalid_yaml_at_its_line()
    {
        var error = LoadFails("host:\n  webapi: a\n reverse_proxy_suffix: b\n");

        AssertError(error, 3, "invalid YAML");
    }

    [Fact]
    public void Wrong_type_names_the_key_the_expected_type_and_the_value()
    {
        var error = LoadFails("host:\n  webapi: mirage.example.com\nlisten: \"x\"\n");

        AssertError(error, 3, "listen must be a mapping with foreign_address and http, not the value \"x\"");
        Assert.Equal(9, error.Column);
    }

    [Fact]
    public void Non_numeric_port_is_a_type_error()
    {
        var error = LoadFails("listen:\n  http:\n    - listen: eighty\n      target: 80\n");

        AssertError(error, 3, "listen.http[0].listen must be a whole number, not the value \"eighty\"");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    public void Listen_port_out_of_range_says_the_valid_range(string port)
    {
        var error = LoadFails($"listen:\n  http:\n    - listen: 80\n      target: 80\n    - listen: {port}\n      target: 80\n");

        AssertError(error, 5, $"listen.http[1].listen: {port} is not a TCP port; use a number from 1 to 65535");
    }

    [Fact]
    public void Listen_entry_without_target_or_duplicate_port_is_an_error()
    {
        AssertError(LoadFails("listen:\n  http:\n    - listen: 80\n"), 3, "needs both listen", "and target");
        AssertError(LoadFails("listen:\n  http:\n    - {listen: 80, target: 80}\n    - {listen: 80, target: 81}\n"), 4, "port 80 is already used by listen.http[0]");
        AssertError(LoadFails("listen:\n  http: []\n"), 2, "listen.http is empty; give at least one port");
    }

    [Fact]
    public void Invalid_rule_names_the_parameter_and_shows_a_valid_example()
    {
        var error = LoadFails("""
            parameters:
              - name: branch
                env: GIT_BRANCH
                rule: "[a-z"
            """);

        AssertError(error, 4, "parameters[0].rule: invalid parameter rule \"[a-z\"", "write a regular expression such as");
    }

    [Fact]
    public void Re2_named_groups_are_valid_rules()
    {
        var config = Load("parameters:\n  - name: branch\n    rule: \"^(?P<name>[a-z]+)$\"\n").Config;

        Assert.Matches(Mirage.Model.Parameters.Re2Rule.Compile(config.Parameters[0].Rule), "feature");
    }

    [Fact]
    public void Parameter_without_name_or_with_a_duplicate_name_is_an_error()
    {
        AssertError(LoadFails("parameters:\n  - env: NICK\n"), 2, "parameters[0] has no name");
        AssertError(LoadFails("parameters:\n  - name: nick\n  - name: nick\n"), 3, "parameter \"nick\" is already defined at parameters[0]");
    }

    [Fact]
    public void Network_configuration_without_awsvpc_configuration_is_an_error()
    {
        var error = LoadFails("""
            ecs:
              cluster: mirage
              network_configuration:
                subnets: [subnet-1]
            """);

        AssertError(error, 3, "ecs.network_configuration has no awsvpc_configuration; add awsvpc_configuration:");
    }

    [Fact]
    public void Launch_type_with_capacity_provider_strategy_is_an_error()
    {
        var error = LoadFails("""
            ecs:
              launch_type: FARGATE
              capacity_provider_strategy:
                - capacity_provider: FARGATE_SPOT
                  weight: 1
            """);

        AssertError(error, 2, "launch_type and capacity_provider_strategy are both set", "remove launch_type");
    }

    [Fact]
    public void Capacity_provider_values_are_checked()
    {
        AssertError(LoadFails("ecs:\n  capacity_provider_strategy:\n    - weight: 1\n"), 3, "has no capacity_provider");
        AssertError(LoadFails("ecs:\n  capacity_provider_strategy:\n    - capacity_provider: X\n      weight: 1001\n"), 4, "weight: 1001 is out of range; ECS accepts 0 to 1000");
    }

    [Fact]
    public void Assign_public_ip_must_be_spelled_as_ecs_does()
    {
        var error = LoadFails("ecs:\n  network_configuration:\n    awsvpc_configuration:\n      assign_public_ip: enabled\n");

        AssertError(error, 4, "\"enabled\" is not valid; write ENABLED or DISABLED");
    }

    [Fact]
    public void Bare_integer_duration_tells_the_user_to_add_a_unit()
    {
        var error = LoadFails("network:\n  proxy_timeout: 30\n");

        AssertError(error, 2, "network.proxy_timeout: \"30\" has no unit", "\"30s\"", "nanoseconds");
    }

    [Theory]
    [InlineData("thirty", "is not a duration")]
    [InlineData("-5s", "is negative")]
    [InlineData("5x", "is not a duration")]
    public void Invalid_durations_are_errors(string value, string fragment)
    {
        AssertError(LoadFails($"network:\n  proxy_timeout: {value}\n"), 2, fragment, "30s");
    }

    [Fact]
    public void Purge_values_are_checked()
    {
        AssertError(LoadFails("purge:\n  request:\n    duration: 60\n"), 3, "too short; purge needs at least 300 seconds");
        AssertError(LoadFails("purge:\n  request:\n    duration: soon\n"), 3, "write whole seconds (e.g. 86400)");
        AssertError(LoadFails("purge:\n  request:\n    duration: 39312001\n"), 3, "too long; purge looks back at most 39312000 seconds");
        AssertError(LoadFails("purge:\n  request:\n    duration: 2562047h\n"), 3, "too long; purge looks back at most 39312000 seconds");
        AssertError(LoadFails("purge:\n  request:\n    duration: 99999999999999999999\n"), 3, "write whole seconds (e.g. 86400)");
        AssertError(LoadFails("purge:\n  request:\n    exclude_tags: [DontPurge]\n"), 3, "\"DontPurge\" is not Key:Value");
        AssertError(LoadFails("purge:\n  request:\n    exclude_regexp: \"(\"\n"), 3, "invalid regular expression");
        AssertError(LoadFails("purge:\n  schedule: \"0 4 * * *\"\n"), 2, "has 5 fields", "\"13 4 * * ? *\"");
    }

    [Fact]
    public void Exclude_containers_must_be_valid_patterns()
    {
        AssertError(LoadFails("link:\n  exclude_containers: [\"sidecar-[\"]\n"), 2, "\"sidecar-[\" is not a valid pattern");
    }

    [Fact]
    public void Oidc_matcher_needs_exact_or_suffix_and_only_one_spelling()
    {
        AssertError(LoadFails("auth:\n  amzn_oidc:\n    claim: email\n    matchers:\n      - {}\n"), 5, "matches nothing; give exact");
        AssertError(LoadFails("auth:\n  amzn_oidc:\n    matchers: [{exact: a}]\n    matcher: [{exact: b}]\n"), 4, "keep only matchers");
    }

    [Fact]
    public void Amzn_oidc_without_alb_arn_is_an_error_that_says_what_to_write()
    {
        AssertError(LoadFails("auth:\n  amzn_oidc:\n    claim: email\n    matchers: [{suffix: \"@example.com\"}]\n"), 2,
            "auth.amzn_oidc.alb_arn is required", "terraform output alb_arn", "alb_arn: arn:aws:elasticloadbalancing:");
    }

    [Theory]
    [InlineData("arn:aws:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/x/1", "is in partition aws-us-gov")]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/x/1", "is not an ALB ARN")]
    [InlineData("mirage-alb", "is not an ALB ARN")]
    public void An_alb_arn_that_is_not_one_or_whose_partition_does_not_fit_its_region_is_an_error(string arn, string fragment)
    {
        AssertError(LoadFails($"auth:\n  amzn_oidc:\n    claim: email\n    alb_arn: {arn}\n"), 4, "auth.amzn_oidc.alb_arn", fragment);
    }

    [Theory]
    [InlineData("10.0.0.0", "\"10.0.0.0\" is not a CIDR block")]
    [InlineData("10.0.0.0/33", "\"10.0.0.0/33\" is not a CIDR block")]
    [InlineData("private", "\"private\" is not a CIDR block")]
    public void Trusted_proxies_must_be_cidr_blocks(string value, string fragment)
    {
        AssertError(LoadFails($"network:\n  trusted_proxies:\n    - 192.168.0.0/16\n    - {value}\n"), 4, "network.trusted_proxies[1]", fragment, "e.g. 10.0.0.0/8");
    }

    [Fact]
    public void Type_errors_under_auth_do_not_echo_the_value()
    {
        var error = LoadFails("auth:\n  token: s3cr3t-token-value\n");

        AssertError(error, 2, "auth.token must be a mapping with header and token");
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Root_must_be_a_mapping_and_a_single_document()
    {
        AssertError(LoadFails("just a string\n"), 1, "must be a mapping of sections");
        AssertError(LoadFails("host:\n  webapi: a\n---\nhost:\n  webapi: b\n"), 4, "more than one YAML document");
    }
}
