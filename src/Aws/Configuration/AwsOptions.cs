namespace Mirage.Aws.Configuration;

/// <summary>
/// Settings of the AWS layer. Anything left unset is resolved the way the AWS SDKs do: environment variables
/// (<c>AWS_REGION</c>, <c>AWS_ENDPOINT_URL[_SERVICE]</c>, <c>AWS_ACCESS_KEY_ID</c>…), then the shared profile, then the
/// container or instance metadata.
/// </summary>
public sealed class AwsOptions
{
    /// <summary>Region to call (e.g. <c>ecs.region</c> of the config); wins over the environment.</summary>
    public string? Region { get; set; }

    /// <summary>
    /// The environment variables to read instead of the process environment (tests pass moto's endpoint and dummy
    /// keys here, so nothing global is mutated). Null means the process environment.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Environment { get; set; }

    /// <summary>Upper bound of one HTTP attempt; the whole call may take several attempts.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Retries after the first attempt, for throttling, 5xx and transient network errors.</summary>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>First backoff delay; later ones grow exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Cap of a single backoff delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>ECS circuit breaker: share of failed calls within <see cref="CircuitBreakerSamplingDuration"/> that opens it.</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// ECS calls a second, sustained, over every ECS call Mirage makes (ECS's own limits are per account and region,
    /// shared with every other tool; DescribeTasks and ListTasks refill at 20 a second). Halved while ECS throttles.
    /// </summary>
    public double EcsRequestsPerSecond { get; set; } = 20;

    /// <summary>ECS calls that may go at once after a quiet spell (the bucket's size).</summary>
    public int EcsRequestBurst { get; set; } = 50;
}
