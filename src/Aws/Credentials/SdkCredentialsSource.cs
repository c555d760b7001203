using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Mirage.Aws.Configuration;

namespace Mirage.Aws.Credentials;

/// <summary>
/// Keys from the configured environment when it names them; otherwise AWSSDK.Core's default chain (environment,
/// profile, ECS container credentials, instance metadata), resolved on first use.
/// </summary>
public sealed class SdkCredentialsSource(AwsEnvironment environment) : IAwsCredentialsSource
{
    private readonly Lazy<AWSCredentials> _credentials = new(() => Create(environment));

    public AWSCredentials SdkCredentials => _credentials.Value;

    private static AWSCredentials Create(AwsEnvironment environment)
    {
        var accessKey = environment.Get("AWS_ACCESS_KEY_ID");
        var secretKey = environment.Get("AWS_SECRET_ACCESS_KEY");
        if (environment.IsExplicit && accessKey is not null && secretKey is not null)
        {
            var token = environment.Get("AWS_SESSION_TOKEN");
            return token is null ? new BasicAWSCredentials(accessKey, secretKey) : new SessionAWSCredentials(accessKey, secretKey, token);
        }
        return DefaultAWSCredentialsIdentityResolver.GetCredentials();
    }
}
