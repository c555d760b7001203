namespace Mirage.LocalEcs.Credentials;

/// <summary>Temporary credentials handed to a local task. <see cref="ToString"/> leaves the secrets out.</summary>
public sealed record VendedCredentials(string AccessKeyId, string SecretAccessKey, string Token, DateTimeOffset Expiration, string RoleArn)
{
    public override string ToString() => $"VendedCredentials {{ RoleArn = {RoleArn}, Expiration = {Expiration:O} }}";
}
