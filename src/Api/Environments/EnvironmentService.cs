using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Model.Parameters;
using Mirage.Model.Subdomains;

namespace Mirage.Api.Environments;

/// <summary>
/// Records what callers want. Launch and terminate validate the request and store an intent; they never call ECS.
/// Validation happens before anything is written, so a refused request changes nothing.
/// </summary>
public sealed class EnvironmentService(IIntentStore store, LaunchParameterResolver parameters, TimeProvider time)
{
    // Optimistic concurrency: a write racing another is re-read and retried a few times.
    private const int MaxAttempts = 5;

    public async Task<(EnvironmentIntent? Intent, EnvironmentError? Error)> LaunchAsync(LaunchCommand command, CancellationToken cancellationToken)
    {
        var subdomain = SubdomainRules.Normalize(command.Subdomain);
        if (SubdomainRules.Validate(subdomain) is { } invalid)
        {
            return (null, EnvironmentError.BadRequest(invalid));
        }
        var resolved = parameters.Resolve(command.Branch, command.Parameters);
        if (resolved.Error is { } parameterError)
        {
            return (null, EnvironmentError.BadRequest(parameterError));
        }
        var taskDefinitions = command.TaskDefinitions.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToList();
        if (taskDefinitions.Count == 0)
        {
            return (null, EnvironmentError.BadRequest($"parameter required: subdomain={subdomain}, taskdef=[]"));
        }

        for (var attempt = 1; ; attempt++)
        {
            var existing = await store.GetAsync(subdomain, cancellationToken);
            if (existing is { Source: IntentSource.GitOps })
            {
                return (null, OwnedByFile(existing));
            }
            var now = time.GetUtcNow();
            var intent = new EnvironmentIntent
            {
                Subdomain = subdomain,
                TaskDefinitions = taskDefinitions,
                Parameters = resolved.ToDictionary(),
                Source = IntentSource.Api,
                Desired = DesiredState.Running,
                Policy = existing?.Policy ?? LifecyclePolicy.Default,
                CreatedAt = existing is { Desired: DesiredState.Running } ? existing.CreatedAt : now,
                UpdatedAt = now,
                LaunchedAt = now,
            };
            try
            {
                return (await store.SaveAsync(intent, existing?.Revision ?? 0, cancellationToken), null);
            }
            catch (IntentConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>Terminates an environment. Terminating one that does not exist succeeds, as in mirage-ecs.</summary>
    public async Task<(EnvironmentIntent? Intent, EnvironmentError? Error)> TerminateAsync(string subdomainInput, CancellationToken cancellationToken)
    {
        var subdomain = SubdomainRules.Normalize(subdomainInput);
        if (SubdomainRules.Validate(subdomain) is { } invalid)
        {
            return (null, EnvironmentError.BadRequest(invalid));
        }
        for (var attempt = 1; ; attempt++)
        {
            var existing = await store.GetAsync(subdomain, cancellationToken);
            if (existing is null || existing.Desired == DesiredState.Terminated)
            {
                return (existing, null);
            }
            if (existing.Source == IntentSource.GitOps)
            {
                return (null, OwnedByFile(existing));
            }
            try
            {
                var terminated = existing with { Desired = DesiredState.Terminated, UpdatedAt = time.GetUtcNow() };
                return (await store.SaveAsync(terminated, existing.Revision, cancellationToken), null);
            }
            catch (IntentConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    private static EnvironmentError OwnedByFile(EnvironmentIntent intent) =>
        EnvironmentError.Conflict($"subdomain {intent.Subdomain} is declared in {intent.Owner ?? "the desired-environments file"}; change it there");
}
