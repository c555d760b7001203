using Microsoft.Extensions.Options;
using Mirage.Aws.Endpoints;

namespace Mirage.Aws.Configuration;

/// <summary>Checks the AWS settings when the host starts, so a typo fails fast with a message that says what to fix.</summary>
public sealed class AwsOptionsValidator : IValidateOptions<AwsOptions>
{
    public ValidateOptionsResult Validate(string? name, AwsOptions options)
    {
        var errors = new List<string>();
        if (options.AttemptTimeout <= TimeSpan.Zero)
        {
            errors.Add($"AWS attempt timeout must be positive (got {options.AttemptTimeout}).");
        }
        if (options.MaxRetryAttempts is < 0 or > 20)
        {
            errors.Add($"AWS max retry attempts must be between 0 and 20 (got {options.MaxRetryAttempts}).");
        }
        if (options.RetryBaseDelay <= TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            errors.Add("AWS retry delays must be positive and the maximum delay at least the base delay.");
        }
        if (options.CircuitBreakerFailureRatio is <= 0 or > 1)
        {
            errors.Add($"AWS circuit breaker failure ratio must be in (0, 1] (got {options.CircuitBreakerFailureRatio}).");
        }
        if (options.CircuitBreakerMinimumThroughput < 2)
        {
            errors.Add("AWS circuit breaker minimum throughput must be at least 2.");
        }
        if (options.CircuitBreakerSamplingDuration < TimeSpan.FromMilliseconds(500) || options.CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add("AWS circuit breaker sampling and break durations must be at least 500 ms.");
        }
        if (options.EcsRequestsPerSecond is <= 0 or > 1000 || double.IsNaN(options.EcsRequestsPerSecond))
        {
            errors.Add($"ECS requests per second must be in (0, 1000] (got {options.EcsRequestsPerSecond}).");
        }
        if (options.EcsRequestBurst is < 1 or > 10000)
        {
            errors.Add($"ECS request burst must be between 1 and 10000 (got {options.EcsRequestBurst}).");
        }
        try
        {
            AwsRegion.Resolve(options);
        }
        catch (InvalidOperationException e)
        {
            errors.Add(e.Message);
        }
        var environment = new AwsEnvironment(options.Environment);
        foreach (var service in AwsService.All)
        {
            foreach (var variable in new[] { service.EndpointVariable, AwsEndpointResolver.GlobalEndpointVariable })
            {
                var value = environment.Get(variable);
                if (value is not null && !AwsEndpointResolver.IsUsableEndpoint(value))
                {
                    errors.Add($"{variable}='{value}' is not an absolute http(s) URL.");
                }
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Distinct());
    }
}
