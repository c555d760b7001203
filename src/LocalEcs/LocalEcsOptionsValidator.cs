using Microsoft.Extensions.Options;

namespace Mirage.LocalEcs;

/// <summary>Rejects settings LocalEcs cannot run with, each with what to fix.</summary>
public sealed class LocalEcsOptionsValidator : IValidateOptions<LocalEcsOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalEcsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.TaskDefinitionsFolder))
        {
            failures.Add("local.task_definitions is empty: set it to the folder holding the task definition JSON files");
        }
        else if (!Directory.Exists(options.TaskDefinitionsFolder))
        {
            failures.Add($"local.task_definitions folder '{Path.GetFullPath(options.TaskDefinitionsFolder)}' does not exist: create it or point local.task_definitions at an existing folder");
        }
        if (string.IsNullOrWhiteSpace(options.StateFolder))
        {
            failures.Add("the LocalEcs state folder is empty: set local.data_dir");
        }
        if (string.IsNullOrWhiteSpace(options.Region) || options.Region.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            failures.Add($"LocalEcs region '{options.Region}' is not a region name like us-east-1");
        }
        if (options.AccountId.Length != 12 || !options.AccountId.All(char.IsAsciiDigit))
        {
            failures.Add($"LocalEcs account '{options.AccountId}' must be 12 digits");
        }
        if (string.IsNullOrWhiteSpace(options.Cluster) || options.Cluster.Length > 255 || options.Cluster.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            failures.Add($"LocalEcs cluster '{options.Cluster}' must be 1-255 letters, digits, '-' or '_'");
        }
        if (options.EndpointPort is < 0 or > 65535)
        {
            failures.Add($"LocalEcs endpoint port {options.EndpointPort} must be 0 (pick a free port) or 1-65535");
        }
        RequirePositive(failures, options.StopGracePeriod, "stop grace period");
        RequirePositive(failures, options.PortReadyTimeout, "port ready timeout");
        RequirePositive(failures, options.StoppedTaskRetention, "stopped task retention");
        RequirePositive(failures, options.PollInterval, "poll interval");
        if (options.CredentialsRefreshMargin < TimeSpan.Zero)
        {
            failures.Add("LocalEcs credentials refresh margin must not be negative");
        }
        if (options.LogLinesPerContainer < 1)
        {
            failures.Add("LocalEcs log lines per container must be at least 1");
        }
        if (options.LogBytesPerContainer < 1024)
        {
            failures.Add("LocalEcs log bytes per container must be at least 1024");
        }
        if (options.LogFileMaxBytes < 1024)
        {
            failures.Add("LocalEcs log file size cap must be at least 1024 bytes");
        }
        if (options.StsServiceUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            failures.Add($"STS endpoint '{url}' (AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL) is not an absolute URL");
        }
        if (options.Runtime is not ("process" or "docker" or "auto"))
        {
            failures.Add($"local.runtime '{options.Runtime}' must be process, docker or auto (auto, or leaving it out, picks docker when a Docker-API engine answers)");
        }
        if (!System.Net.IPAddress.TryParse(options.ContainerEndpointAddress, out _))
        {
            failures.Add($"LocalEcs container endpoint address '{options.ContainerEndpointAddress}' is not an IP address");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequirePositive(List<string> failures, TimeSpan value, string what)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"LocalEcs {what} must be positive (got {value})");
        }
    }
}
