namespace Mirage.Aws.Credentials;

/// <summary>One snapshot of credentials for signing. Never printed: <see cref="ToString"/> hides the secrets.</summary>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    public override string ToString() => $"AwsCredentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = ***, SessionToken = {(SessionToken is null ? "none" : "***")} }}";
}
