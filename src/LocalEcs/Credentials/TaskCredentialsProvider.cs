using System.Collections.Concurrent;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Options;

namespace Mirage.LocalEcs.Credentials;

/// <summary>
/// Vends credentials to local tasks from Mirage's own identity (AWSSDK.Core's default chain): a task role is
/// assumed through STS; otherwise the base credentials are passed through when already temporary, or exchanged
/// for a session token. Results are cached until <see cref="LocalEcsOptions.CredentialsRefreshMargin"/> before expiry.
/// </summary>
/// <param name="baseCredentials">Mirage's own identity; null resolves it with AWSSDK.Core's default chain.</param>
public sealed class TaskCredentialsProvider(IOptions<LocalEcsOptions> options, TimeProvider time, AWSCredentials? baseCredentials = null) : IDisposable
{
    private const int DurationSeconds = 3600;

    private readonly LocalEcsOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, VendedCredentials> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private AmazonSecurityTokenServiceClient? _sts;
    private AWSCredentials? _base = baseCredentials;
    private string? _accountId;

    /// <summary>The credentials a task gets at its credentials URI: its task role, or the base identity.</summary>
    public Task<VendedCredentials> ForTaskRoleAsync(string? taskRoleArn, CancellationToken cancellationToken) =>
        taskRoleArn is null ? ForBaseAsync(cancellationToken) : ForRoleArnAsync(taskRoleArn, cancellationToken);

    public Task<VendedCredentials> ForBaseAsync(CancellationToken cancellationToken) =>
        CachedAsync("base", cancellationToken, async () =>
        {
            var identity = BaseCredentials();
            var current = await identity.GetCredentialsAsync();
            if (current.UseToken)
            {
                // Temporary credentials cannot call GetSessionToken; pass them through as the ECS local endpoints do.
                var expiration = identity.Expiration is { } expires
                    ? new DateTimeOffset(DateTime.SpecifyKind(expires, DateTimeKind.Utc))
                    : time.GetUtcNow() + _options.PassThroughCredentialsLifetime;
                return new VendedCredentials(current.AccessKey, current.SecretKey, current.Token, expiration, "");
            }
            var response = await Sts().GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = DurationSeconds }, cancellationToken);
            return FromSts(response.Credentials, "");
        });

    public Task<VendedCredentials> ForRoleArnAsync(string roleArn, CancellationToken cancellationToken)
    {
        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        if (!roleArn.StartsWith("arn:", StringComparison.Ordinal) || !roleArn.Contains(":role/", StringComparison.Ordinal) || roleName.Length == 0)
        {
            throw new ArgumentException($"'{roleArn}' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)", nameof(roleArn));
        }
        return CachedAsync("role:" + roleArn, cancellationToken, async () =>
        {
            var response = await Sts().AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = roleArn,
                RoleSessionName = SessionName(roleName),
                DurationSeconds = DurationSeconds,
            }, cancellationToken);
            return FromSts(response.Credentials, roleArn);
        });
    }

    /// <summary>A role of Mirage's own account by name (the account comes from GetCallerIdentity).</summary>
    public async Task<VendedCredentials> ForRoleNameAsync(string roleName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(roleName) || roleName.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{roleName}' is not a role name", nameof(roleName));
        }
        if (_accountId is null)
        {
            try
            {
                var identity = await Sts().GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken);
                _accountId = identity.Account;
            }
            catch (AmazonServiceException ex)
            {
                throw new CredentialsUnavailableException($"STS GetCallerIdentity failed: {ex.ErrorCode}: {ex.Message}", ex);
            }
        }
        return await ForRoleArnAsync($"arn:aws:iam::{_accountId}:role/{roleName}", cancellationToken);
    }

    /// <summary><c>ecs-local-&lt;role name&gt;</c> cut to STS's 64-character limit, as the ECS local endpoints do.</summary>
    internal static string SessionName(string roleName)
    {
        var name = "ecs-local-" + roleName;
        return name.Length <= 64 ? name : name[..64];
    }

    public void Dispose()
    {
        _sts?.Dispose();
        _fetch.Dispose();
    }

    private async Task<VendedCredentials> CachedAsync(string key, CancellationToken cancellationToken, Func<Task<VendedCredentials>> fetch)
    {
        if (Fresh(key) is { } cached)
        {
            return cached;
        }
        await _fetch.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(key) is { } again)
            {
                return again;
            }
            VendedCredentials credentials;
            try
            {
                credentials = await fetch();
            }
            catch (AmazonServiceException ex)
            {
                throw new CredentialsUnavailableException($"STS refused: {ex.ErrorCode}: {ex.Message}", ex);
            }
            catch (AmazonClientException ex)
            {
                throw new CredentialsUnavailableException($"no usable base AWS credentials: {ex.Message}", ex);
            }
            catch (HttpRequestException ex)
            {
                throw new CredentialsUnavailableException($"STS could not be reached: {ex.Message}", ex);
            }
            _cache[key] = credentials;
            return credentials;
        }
        finally
        {
            _fetch.Release();
        }
    }

    private VendedCredentials? Fresh(string key) =>
        _cache.TryGetValue(key, out var cached) && cached.Expiration - _options.CredentialsRefreshMargin > time.GetUtcNow() ? cached : null;

    private static VendedCredentials FromSts(Amazon.SecurityToken.Model.Credentials credentials, string roleArn) => new(
        credentials.AccessKeyId,
        credentials.SecretAccessKey,
        credentials.SessionToken,
        credentials.Expiration is { } expires ? new DateTimeOffset(DateTime.SpecifyKind(expires.ToUniversalTime(), DateTimeKind.Utc)) : DateTimeOffset.MinValue,
        roleArn);

    private AWSCredentials BaseCredentials() => _base ??= DefaultAWSCredentialsIdentityResolver.GetCredentials();

    private AmazonSecurityTokenServiceClient Sts()
    {
        if (_sts is not null)
        {
            return _sts;
        }
        var config = new AmazonSecurityTokenServiceConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(_options.Region) };
        if (!string.IsNullOrEmpty(_options.StsServiceUrl))
        {
            config.ServiceURL = _options.StsServiceUrl;
            config.AuthenticationRegion = _options.Region;
        }
        return _sts = new AmazonSecurityTokenServiceClient(BaseCredentials(), config);
    }
}
