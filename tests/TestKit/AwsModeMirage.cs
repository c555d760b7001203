namespace Mirage.TestKit;

/// <summary>What a <c>mirage</c> process in AWS mode against moto (or a proxy in front of it) is started with.</summary>
public static class AwsModeMirage
{
    /// <summary>
    /// A config with one listener on <c>{port}</c> (MirageProcess fills it), the ECS cluster <paramref name="cluster"/>
    /// on FARGATE in the given network, intents in <c>s3://mirage-state/intents/</c>, then <paramref name="more"/>
    /// (further top-level YAML, e.g. a <c>cluster:</c> section).
    /// </summary>
    public static string Config(string cluster, string subnet, string securityGroup, string more = "") => $$"""
        host:
          webapi: {{MirageProcess.WebHost}}
          reverse_proxy_suffix: .localtest.me
        listen:
          foreign_address: 127.0.0.1
          http:
            - listen: {port}
              target: 80
        ecs:
          region: us-east-1
          cluster: {{cluster}}
          launch_type: FARGATE
          network_configuration:
            awsvpc_configuration:
              subnets: [{{subnet}}]
              security_groups: [{{securityGroup}}]
        intents: s3://mirage-state/intents/

        """ + more;

    /// <summary>Credentials moto accepts, its region, and every AWS call sent to <paramref name="endpoint"/>.</summary>
    public static Dictionary<string, string> Environment(Uri endpoint, string secretAccessKey = "testing") => new()
    {
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = secretAccessKey,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ENDPOINT_URL"] = endpoint.ToString().TrimEnd('/'),
    };
}
