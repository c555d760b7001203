using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mirage.Aws.Configuration;
using Mirage.Aws.Endpoints;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Mirage.Aws.Resilience;

/// <summary>
/// One pipeline per service, shared by every client of it (the ECS circuit breaker must see all ECS calls):
/// retry with jittered exponential backoff on throttling, 5xx and network errors → circuit breaker (ECS only)
/// → timeout per attempt.
/// </summary>
public sealed partial class AwsResiliencePipelines(IOptions<AwsOptions> options, TimeProvider timeProvider, ILogger<AwsResiliencePipelines> logger)
{
    private readonly ConcurrentDictionary<AwsService, ResiliencePipeline> _pipelines = new();

    public ResiliencePipeline For(AwsService service) => _pipelines.GetOrAdd(service, Build);

    private ResiliencePipeline Build(AwsService service)
    {
        var settings = options.Value;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = $"aws-{service.SigningName}" };
        if (settings.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Context.Properties.GetValue(AwsResilienceKeys.Retryable, true)
                    && !args.Context.CancellationToken.IsCancellationRequested
                    && AwsTransientErrors.IsTransient(args.Outcome.Exception)),
                OnRetry = args =>
                {
                    LogRetry(logger, service.Name, args.Context.OperationKey ?? "?", args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message ?? "no result");
                    return ValueTask.CompletedTask;
                },
            });
        }
        if (service == AwsService.Ecs)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = settings.CircuitBreakerFailureRatio,
                MinimumThroughput = settings.CircuitBreakerMinimumThroughput,
                SamplingDuration = settings.CircuitBreakerSamplingDuration,
                BreakDuration = settings.CircuitBreakerBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(AwsTransientErrors.IsTransient(args.Outcome.Exception)),
                OnOpened = args =>
                {
                    LogCircuitOpened(logger, service.Name, args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
            });
        }
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = settings.AttemptTimeout });
        return builder.Build();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AWS {Service} {Operation} attempt {Attempt} failed, retrying in {Delay}: {Reason}")]
    private static partial void LogRetry(ILogger logger, string service, string operation, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "AWS {Service} circuit opened for {BreakDuration} after repeated failures")]
    private static partial void LogCircuitOpened(ILogger logger, string service, TimeSpan breakDuration);
}
