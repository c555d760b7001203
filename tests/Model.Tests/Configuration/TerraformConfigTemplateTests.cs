using System.Text.RegularExpressions;
using Mirage.Model.Configuration;
using Mirage.TestKit;
using static Mirage.Model.Tests.Configuration.ConfigFixtures;

namespace Mirage.Model.Tests.Configuration;

/// <summary>
/// deploy/aws/terraform/mirage.yml.tftpl, rendered as <c>templatefile</c> would with config.tf's values, is a config
/// Mirage loads and is safe by default.
/// </summary>
public sealed partial class TerraformConfigTemplateTests
{
    private const string AlbArn = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/mirage/50dc6c495c0c9188";

    private static readonly Dictionary<string, object> Values = new()
    {
        ["bucket"] = "example-mirage",
        ["domain"] = "dev.example.net",
        ["region"] = "ap-northeast-1",
        ["default_task_definition"] = "myapp",
        ["subnets"] = new[] { "subnet-priv-a", "subnet-priv-c" },
        ["preview_security_group"] = "sg-previews",
        ["trusted_proxies"] = new[] { "10.0.0.0/24", "10.0.1.0/24" },
        ["link_hosted_zone_id"] = "Z0PRIVATEZONE",
        ["allowed_email_suffix"] = "@example.net",
        ["alb_arn"] = AlbArn,
        ["events_queue_url"] = "https://sqs.ap-northeast-1.amazonaws.com/123456789012/mirage-ecs-events",
        ["lease_table"] = "mirage-lease",
    };

    // The two forms the template uses: ${name} and ${join(", ", name)}.
    private static string Render(string template) =>
        Interpolation().Replace(template, m =>
        {
            var value = Values[m.Groups["name"].Value];
            return m.Groups["join"].Success ? string.Join(", ", (string[])value) : (string)value;
        });

    [GeneratedRegex("""\$\{(?:(?<join>join\(", ", )(?<name>[a-z_]+)\)|(?<name>[a-z_]+))\}""")]
    private static partial Regex Interpolation();

    [Fact]
    public void The_rendered_config_pins_the_alb_guards_previews_and_keeps_previews_out_of_mirages_security_group()
    {
        var template = File.ReadAllText(RepositoryRoot.Combine("deploy", "aws", "terraform", "mirage.yml.tftpl"));

        var result = Loader(("MIRAGE_COOKIE_SECRET", "cookie-secret-from-secrets-manager")).Load(new ConfigText(Render(template), "mirage.yml"), new ConfigLoaderOptions());
        var config = result.Config;

        Assert.Empty(result.Warnings);
        Assert.Equal(AlbArn, config.Auth!.AmznOidc!.AlbArn);
        Assert.All(config.Listen.Http, port => Assert.True(port.RequireAuthCookie));
        Assert.Equal("cookie-secret-from-secrets-manager", config.Auth.CookieSecret);
        Assert.Equal(["sg-previews"], config.Ecs.NetworkConfiguration!.AwsVpcConfiguration!.SecurityGroups);
        Assert.Equal(["10.0.0.0/24", "10.0.1.0/24"], config.Network.TrustedProxies.Select(n => n.ToString()));
        Assert.Equal("s3://example-mirage/intents/", config.Intents);
        Assert.Equal("https://sqs.ap-northeast-1.amazonaws.com/123456789012/mirage-ecs-events", config.Ecs.EventsQueueUrl);
        Assert.Equal("mirage-lease", config.Cluster.LeaseTable);
        Assert.True(config.Cluster.Enabled);
    }
}
