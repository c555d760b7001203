using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mirage.Aws.Configuration;
using Mirage.Aws.Endpoints;

namespace Mirage.Aws.Resilience;

/// <summary>
/// The rate limiters of the services Mirage calls often: ECS (every call, whichever client makes it, takes a token
/// from one bucket, so a resync, a burst of launches and the UI together stay under the account's API limits).
/// </summary>
public sealed partial class AwsRateLimiters(IOptions<AwsOptions> options, TimeProvider time, ILogger<AwsRateLimiters> logger) : IDisposable
{
    private readonly Lazy<AdaptiveRateLimiter> _ecs = new(() =>
        new AdaptiveRateLimiter(options.Value.EcsRequestsPerSecond, options.Value.EcsRequestBurst, time));

    /// <summary>The service's limiter, or null for a service called rarely enough not to need one.</summary>
    public AdaptiveRateLimiter? For(AwsService service) => service == AwsService.Ecs ? _ecs.Value : null;

    /// <summary>Feeds an attempt's outcome back: a throttling answer slows the bucket down.</summary>
    public void Observe(AwsService service, bool throttled)
    {
        if (For(service) is not { } limiter)
        {
            return;
        }
        if (throttled)
        {
            limiter.Throttled();
            LogSlowedDown(logger, service.Name, limiter.Slowdown);
        }
        else
        {
            limiter.Answered();
        }
    }

    public void Dispose()
    {
        if (_ecs.IsValueCreated)
        {
            _ecs.Value.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AWS {Service} throttled a call; its rate limiter now refills at 1/{Slowdown} of the configured rate")]
    private static partial void LogSlowedDown(ILogger logger, string service, int slowdown);
}
