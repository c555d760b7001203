using Mirage.Model.Backend;
using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Model.Parameters;
using Mirage.Model.Subdomains;

namespace Mirage.Api.Environments;

/// <summary>
/// Records what callers want. Launch and terminate validate the request and store an intent; they never start or
/// stop tasks (launch only reads task definitions, to refuse unknown ones up front).
/// Validation happens before anything is written, so a refused request changes nothing.
/// </summary>
public sealed class EnvironmentService(IIntentStore store, IEcsBackend backend, LaunchParameterResolver parameters, MirageConfig config, TimeProvider time)
{
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
        TimeSpan? sleepAfter = null;
        if (command.SleepAfter is { } sleepText)
        {
            sleepAfter = SleepPolicy.Parse(sleepText, "sleep_after", out var sleepError);
            if (sleepError is not null)
            {
                return (null, EnvironmentError.BadRequest(sleepError));
            }
        }
        var taskDefinitions = command.TaskDefinitions.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToList();
        if (taskDefinitions.Count == 0)
        {
            return (null, EnvironmentError.BadRequest($"parameter required: subdomain={subdomain}, taskdef=[]"));
        }
        // An unknown task definition would only fail later in the reconciler; say so now and record nothing.
        foreach (var taskDefinition in taskDefinitions)
        {
            try
            {
                await backend.DescribeTaskDefinitionAsync(taskDefinition, cancellationToken);
            }
            catch (TaskDefinitionNotFoundException e)
            {
                return (null, EnvironmentError.BadRequest(e.Message));
            }
        }

        EnvironmentIntent? ownedByFile = null;
        var stored = await IntentUpdates.UpdateAsync(store, subdomain, existing =>
        {
            if (existing is not null && OwnedByTheFile(existing))
            {
                ownedByFile = existing;
                return existing;
            }
            var now = time.GetUtcNow();
            return new EnvironmentIntent
            {
                Subdomain = subdomain,
                TaskDefinitions = taskDefinitions,
                Parameters = resolved.ToDictionary(),
                Source = IntentSource.Api,
                Desired = DesiredState.Running,
                // A relaunch keeps the policy; sleep_after in the body replaces the environment's own.
                Policy = sleepAfter is null ? existing?.Policy ?? LifecyclePolicy.Default : (existing?.Policy ?? LifecyclePolicy.Default) with { SleepAfter = sleepAfter },
                CreatedAt = existing is { Desired: DesiredState.Running } ? existing.CreatedAt : now,
                UpdatedAt = now,
                LaunchedAt = now,
            };
        }, cancellationToken);
        return ownedByFile is not null ? (null, OwnedByFile(ownedByFile)) : (stored, null);
    }

    /// <summary>Terminates an environment. Terminating one that does not exist succeeds, as in mirage-ecs.</summary>
    public async Task<(EnvironmentIntent? Intent, EnvironmentError? Error)> TerminateAsync(string subdomainInput, CancellationToken cancellationToken)
    {
        var subdomain = SubdomainRules.Normalize(subdomainInput);
        if (SubdomainRules.Validate(subdomain) is { } invalid)
        {
            return (null, EnvironmentError.BadRequest(invalid));
        }
        var existing = await store.GetAsync(subdomain, cancellationToken);
        if (existing is { Desired: DesiredState.Running } && OwnedByTheFile(existing))
        {
            return (null, OwnedByFile(existing));
        }
        return (await IntentUpdates.TerminateAsync(store, subdomain, time.GetUtcNow(), cancellationToken), null);
    }

    /// <summary>
    /// Pins (or unpins) an environment: a kept one is never purged or expired. A new revision, so the tasks are replaced
    /// without downtime; the ttl still counts from the last launch.
    /// </summary>
    public Task<(EnvironmentIntent? Intent, EnvironmentError? Error)> SetKeepAsync(string subdomainInput, bool keep, CancellationToken cancellationToken) =>
        ChangeAsync(subdomainInput, (subdomain, existing) => existing switch
        {
            null => EnvironmentError.NotFound($"subdomain {subdomain} is not found"),
            _ when OwnedByTheFile(existing) => OwnedByFile(existing),
            { Desired: DesiredState.Terminated } => EnvironmentError.Conflict($"subdomain {subdomain} is terminated; launch it again before pinning it"),
            _ => null,
        }, (existing, now) => existing.Policy.Keep == keep ? null : existing with
        {
            Policy = existing.Policy with { Keep = keep },
            UpdatedAt = now,
            Cause = new EnvironmentEvent(now, CauseReasons.KeepChanged, keep ? "Kept: never purged or expired (set through the API)" : "No longer kept (cleared through the API)"),
        }, cancellationToken);

    /// <summary>
    /// Puts an environment to sleep (tasks stopped, route kept); the next request to it wakes it. Unknown is 404; one that
    /// is terminated, failed, or already asleep is 409. <paramref name="asker"/> ends the history's sentence ("through the API").
    /// </summary>
    public async Task<(EnvironmentIntent? Intent, EnvironmentError? Error)> SleepAsync(string subdomainInput, string asker, CancellationToken cancellationToken)
    {
        // Only a valid name is looked up; ChangeAsync refuses an invalid one with 400.
        var normalized = SubdomainRules.Normalize(subdomainInput);
        var state = SubdomainRules.Validate(normalized) is null ? (await store.GetStatusAsync(normalized, cancellationToken))?.State : null;
        return await ChangeAsync(subdomainInput, (subdomain, existing) => existing switch
        {
            null => EnvironmentError.NotFound($"subdomain {subdomain} is not found"),
            { Desired: DesiredState.Terminated } => EnvironmentError.Conflict($"subdomain {subdomain} is terminated; launch it again instead"),
            { Asleep: true } => EnvironmentError.Conflict($"subdomain {subdomain} is already asleep; a request to it, or POST /api/environments/{subdomain}/wake, wakes it"),
            _ when state == Model.Lifecycle.LifecycleState.Failed => EnvironmentError.Conflict($"subdomain {subdomain} has failed; launch it again before putting it to sleep"),
            _ => null,
        }, (existing, now) => existing with { Asleep = true, UpdatedAt = now, Cause = new EnvironmentEvent(now, CauseReasons.Slept, $"Asleep: put to sleep {asker}") },
        cancellationToken);
    }

    /// <summary>Wakes a sleeping environment (as a request to its host would). Unknown is 404; one that is not asleep is 409.</summary>
    public Task<(EnvironmentIntent? Intent, EnvironmentError? Error)> WakeAsync(string subdomainInput, string asker, CancellationToken cancellationToken) =>
        ChangeAsync(subdomainInput, (subdomain, existing) => existing switch
        {
            null => EnvironmentError.NotFound($"subdomain {subdomain} is not found"),
            { Desired: DesiredState.Terminated } => EnvironmentError.Conflict($"subdomain {subdomain} is terminated; launch it again instead"),
            { Asleep: false } => EnvironmentError.Conflict($"subdomain {subdomain} is not asleep"),
            _ => null,
        }, (existing, now) => existing with { Asleep = false, UpdatedAt = now, Cause = new EnvironmentEvent(now, CauseReasons.Woken, $"Woken {asker}") },
        cancellationToken);

    // One read-modify-write of an existing intent: refused (404, 409) before anything is written, or changed (null: nothing to do).
    private async Task<(EnvironmentIntent? Intent, EnvironmentError? Error)> ChangeAsync(
        string subdomainInput, Func<string, EnvironmentIntent?, EnvironmentError?> refusal,
        Func<EnvironmentIntent, DateTimeOffset, EnvironmentIntent?> change, CancellationToken cancellationToken)
    {
        var subdomain = SubdomainRules.Normalize(subdomainInput);
        if (SubdomainRules.Validate(subdomain) is { } invalid)
        {
            return (null, EnvironmentError.BadRequest(invalid));
        }
        EnvironmentError? refused = null;
        var stored = await IntentUpdates.UpdateAsync(store, subdomain, existing =>
        {
            refused = refusal(subdomain, existing);
            return refused is null ? change(existing!, time.GetUtcNow()) ?? existing : existing;
        }, cancellationToken);
        return refused is null ? (stored, null) : (null, refused);
    }

    // Only the configured file owns environments: once GitOps is turned off (or points elsewhere), its former
    // environments are the API's to change or terminate.
    private bool OwnedByTheFile(EnvironmentIntent intent) =>
        intent.Source == IntentSource.GitOps && config.GitOps is { } gitOps && string.Equals(intent.Owner, gitOps.File, StringComparison.Ordinal);

    private static EnvironmentError OwnedByFile(EnvironmentIntent intent) =>
        EnvironmentError.Conflict($"subdomain {intent.Subdomain} is declared in {intent.Owner ?? "the desired-environments file"}; change it there");
}
