using Amazon.Runtime;

namespace Mirage.Aws.Credentials;

/// <summary>
/// Where credentials come from. The SDK's credentials object caches and refreshes itself (container and
/// instance-role credentials expire), so callers ask it on every request rather than keeping a copy.
/// </summary>
public interface IAwsCredentialsSource
{
    /// <summary>The SDK credentials object, also handed to the SDK's own clients (S3, STS).</summary>
    AWSCredentials SdkCredentials { get; }

    /// <summary>Credentials to sign one request with.</summary>
    async ValueTask<AwsCredentials> GetAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var current = await SdkCredentials.GetCredentialsAsync().WaitAsync(cancellationToken);
        return new AwsCredentials(current.AccessKey, current.SecretKey, current.UseToken ? current.Token : null);
    }
}
