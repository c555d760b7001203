using System.Text.Json;
using Mirage.Aws.Configuration;

namespace Mirage.Aws.Discovery;

/// <summary>The cluster and ARN of the task Mirage itself runs in, from the ECS task metadata endpoint (v4, else v3).</summary>
public sealed class TaskMetadataClient(HttpClient httpClient, AwsEnvironment environment, TimeProvider time)
{
    public const string V4Variable = "ECS_CONTAINER_METADATA_URI_V4";
    public const string V3Variable = "ECS_CONTAINER_METADATA_URI";

    /// <exception cref="InvalidOperationException">Not running in ECS, or the endpoint did not answer with a task.</exception>
    public async Task<(string Cluster, string TaskArn)> GetTaskAsync(CancellationToken cancellationToken)
    {
        var baseUri = environment.Get(V4Variable) ?? environment.Get(V3Variable)
            ?? throw new InvalidOperationException($"could not resolve ECS Task metadata: neither {V4Variable} nor {V3Variable} is set (not running in ECS?)");
        var uri = new Uri(baseUri.TrimEnd('/') + "/task");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var response = await httpClient.GetAsync(uri, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"task metadata {uri} answered {(int)response.StatusCode}");
        }
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(timeout.Token));
        var root = document.RootElement;
        var cluster = root.TryGetProperty("Cluster", out var c) ? c.GetString() : null;
        var taskArn = root.TryGetProperty("TaskARN", out var t) ? t.GetString() : null;
        if (string.IsNullOrEmpty(cluster) || string.IsNullOrEmpty(taskArn))
        {
            throw new InvalidOperationException($"task metadata {uri} has no Cluster or TaskARN");
        }
        return (cluster, taskArn);
    }
}
