using System.Globalization;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// For the credentials slice's attack tests (local-endpoints, task roles, task environment): one moto for STS, and
/// what Mirage and its tasks need to use it. Mirage's base identity is moto's <c>testing</c> keys.
/// </summary>
public sealed class CredentialsAttackFixture : IAsyncLifetime
{
    public MotoServer Moto { get; private set; } = null!;

    /// <summary>The environment a Mirage process needs to vend credentials from moto.</summary>
    public IReadOnlyDictionary<string, string> AwsEnvironment => new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ENDPOINT_URL_STS"] = Moto.Endpoint.ToString(),
    };

    public async ValueTask InitializeAsync() => Moto = await MotoServer.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await Moto.DisposeAsync();
}

/// <summary>Helpers of the credentials slice's attack tests.</summary>
internal static class CredentialsAttackSupport
{
    /// <summary>
    /// The environment of the local task process under <paramref name="mirage"/> whose environment has
    /// <paramref name="name"/>=<paramref name="value"/>, once it runs (read from /proc, where the task's token lives, as on ECS).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> TaskEnvironmentAsync(MirageProcess mirage, string name, string value, CancellationToken cancellationToken) =>
        (await Eventually.ReadAsync(
            () => Task.FromResult(LinuxProcess.DescendantsOf(mirage.ProcessId)
                .Select(process => Environ(process.Pid)).FirstOrDefault(environment => environment?.GetValueOrDefault(name) == value)),
            environment => environment is not null, TimeSpan.FromSeconds(90),
            _ => mirage.Explain($"no local task process with {name}={value} appeared"), cancellationToken))!;

    /// <summary>Launches <paramref name="taskDefinition"/> as <paramref name="subdomain"/> without waiting for it.</summary>
    public static async Task LaunchAsync(MirageProcess mirage, string subdomain, string taskDefinition, CancellationToken cancellationToken)
    {
        using var launched = await mirage.PostApiAsync("/api/launch", new { subdomain, branch = "main", taskdef = new[] { taskDefinition } }, cancellationToken);
        var body = await launched.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(launched.IsSuccessStatusCode, mirage.Explain($"launch of {subdomain} answered {(int)launched.StatusCode}: {body}"));
    }

    /// <summary>A folder with task definition files, removed by the caller.</summary>
    public static string TaskDefinitions(params (string File, string Json)[] definitions)
    {
        var folder = Directory.CreateTempSubdirectory("mirage-attack-taskdefs-").FullName;
        foreach (var (file, json) in definitions)
        {
            File.WriteAllText(Path.Combine(folder, file), json);
        }
        return folder;
    }

    private static Dictionary<string, string>? Environ(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ")
                .Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(e => e.Split('=', 2))
                .Where(e => e.Length == 2)
                .GroupBy(e => e[0], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Exited meanwhile, or not ours to read.
            return null;
        }
    }
}
