using Polly;

namespace Mirage.Aws.Resilience;

/// <summary>Properties a call puts on its <see cref="ResilienceContext"/>.</summary>
public static class AwsResilienceKeys
{
    /// <summary>False for a call that must not be repeated (a RunTask without a client token).</summary>
    public static readonly ResiliencePropertyKey<bool> Retryable = new("mirage.aws.retryable");
}
