using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mirage.Model.Backend;
using Mirage.Model.Configuration;
using Mirage.Model.Intents;
using Mirage.Model.Launch;
using Mirage.Model.Leadership;
using Mirage.Model.Lifecycle;
using Mirage.Model.Links;
using Mirage.Model.Telemetry;
using Mirage.Reconciler.Policies;
using Mirage.Reconciler.Routing;

namespace Mirage.Reconciler.Reconciling;

/// <summary>
/// One reconcile pass for one environment: read the intent and the observed tasks, derive one trigger
/// (<see cref="LifecycleTriggerRules"/>), fire it in the lifecycle machine, perform the transition's actions through
/// the ports, and record the status (<see cref="EnvironmentStatusBuilder"/>). Every pass is
/// safe to repeat after a crash at any line: tasks are found by their tags, and RunTask's client token is derived from
/// (subdomain, revision, task index, restart count), so a repeated launch returns the task started the first time.
/// </summary>
public sealed partial class EnvironmentReconciler(
    IIntentStore store,
    ObservedTasks observedTasks,
    IEcsBackend backend,
    RouteBook routes,
    IEnvironmentLinks links,
    LifecyclePolicies policies,
    ILeadership leadership,
    MirageConfig config,
    IOptions<ReconcilerOptions> options,
    TimeProvider time,
    ILogger<EnvironmentReconciler> logger,
    EnvironmentStates? states = null)
{
    public const string StartedBy = "mirage";
    private const string StopReason = "Terminate requested by Mirage";
    private const string ReplacedReason = "Replaced by a new revision by Mirage";

    /// <summary>ECS's stop code for a task stopped by a termination notice (Spot, maintenance); LocalEcs uses it when Mirage shuts down.</summary>
    public const string TerminationNoticeStopCode = "TerminationNotice";

    private readonly ReconcilerOptions _options = options.Value;

    /// <summary>Runs one pass; the result says when the key should be looked at again (or only on a change), and why.</summary>
    public async Task<ReconcileResult> ReconcileAsync(string subdomain, CancellationToken cancellationToken)
    {
        var intent = await store.GetAsync(subdomain, cancellationToken);
        var stored = intent is null ? null : await store.GetStatusAsync(subdomain, cancellationToken);
        using var activity = ReconcilerTracing.StartPass(subdomain, intent, stored);
        try
        {
            var result = await ReconcileAsync(subdomain, intent, stored, activity, cancellationToken);
            activity?.SetTag(ReconcilerTracing.Result, result.Reason);
            return result;
        }
        catch (Exception e)
        {
            // The type only: a message may quote a backend's answer.
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    private async Task<ReconcileResult> ReconcileAsync(
        string subdomain, EnvironmentIntent? intent, EnvironmentStatus? stored, Activity? activity, CancellationToken cancellationToken)
    {
        var observation = await observedTasks.GetAsync(cancellationToken);
        if (MustDescribe(observation, subdomain, stored) is { Count: > 0 } unsettled)
        {
            observation = await observedTasks.DescribeAsync(unsettled, cancellationToken);
        }
        var running = observation.RunningFor(subdomain);

        if (intent is null)
        {
            leadership.EnsureLeading($"remove the route of {subdomain}");
            routes.Remove(subdomain);
            states?.Remove(subdomain);
            if (running.Count > 0)
            {
                await AdoptAsync(subdomain, running, cancellationToken);
                return ReconcileResult.WaitForChange("Adopted");
            }
            return ReconcileResult.WaitForChange("NoIntent");
        }

        var status = stored ?? new EnvironmentStatus { Subdomain = subdomain };
        var pass = new Pass(intent, status, running, observation.StoppedFor(subdomain), time.GetUtcNow());
        if (intent.Cause is { } cause && status.ObservedRevision != intent.Revision)
        {
            pass.AddEvent(cause.Reason, cause.Message);
        }
        // The machine reads and writes the pass's state, which SaveStatusAsync stores as the environment's status.
        var lifecycle = new EnvironmentLifecycle(() => pass.State, state => pass.State = state);
        var decision = LifecycleTriggerRules.Derive(pass, _options.MaxRestarts, () => IsInfrastructureStop(pass));
        pass.Recovering = decision.Recovering;
        var trigger = decision.Trigger;
        var transition = lifecycle.Fire(trigger);
        LogTransition(subdomain, intent.Revision, transition.From, trigger, transition.To);
        ReconcilerTracing.Transition(activity, transition.From, trigger, transition.To);
        pass.Actions = transition.Actions;

        try
        {
            foreach (var action in transition.Actions)
            {
                await PerformAsync(action, pass, cancellationToken);
            }
        }
        catch (TaskDefinitionNotFoundException e)
        {
            // The launch can never succeed: fail the revision rather than retry it forever.
            pass.FailureMessage = e.Message;
            var rejected = lifecycle.Fire(LifecycleTrigger.LaunchRejected);
            pass.Actions = rejected.Actions;
            foreach (var action in rejected.Actions)
            {
                await PerformAsync(action, pass, cancellationToken);
            }
        }

        if (pass.State == LifecycleState.Sleeping && status.State != LifecycleState.Sleeping)
        {
            LogSlept(subdomain, pass.Running.Count);
        }
        if (pass.State == LifecycleState.Running && status.State != LifecycleState.Running)
        {
            pass.AddEvent("Running", $"All {intent.TaskDefinitions.Count} tasks of revision {intent.Revision} are running");
        }
        var policyCheck = await CheckPoliciesAsync(pass, cancellationToken);
        await SaveStatusAsync(pass, cancellationToken);
        states?.Set(subdomain, pass.State);
        var next = await NextLookAsync(pass, cancellationToken);
        return policyCheck is null ? next : next.Sooner(policyCheck);
    }

    // The cache is current for steady tasks; a pass describes just the tasks still starting, and the ones it knew
    // that the cache no longer has (to learn why they stopped).
    private List<string> MustDescribe(TaskObservation observation, string subdomain, EnvironmentStatus? status)
    {
        var arns = observation.RunningFor(subdomain).Where(t => t.LastStatus is not (EcsTaskStatus.Running or EcsTaskStatus.Stopped)).Select(t => t.Arn).ToList();
        arns.AddRange((status?.Tasks ?? []).Where(arn => observedTasks.Find(arn) is null && !arns.Contains(arn)));
        return arns;
    }

    private async Task StopAsync(ObservedTask task, string reason, CancellationToken cancellationToken)
    {
        leadership.EnsureLeading($"stop task {task.Arn}");
        var stopped = await backend.StopTaskAsync(task.Arn, reason, cancellationToken);
        // ECS no longer knowing the task means it is stopped.
        observedTasks.Record(stopped ?? task with { DesiredStatus = EcsTaskStatus.Stopped, LastStatus = EcsTaskStatus.Stopped, StoppedReason = reason });
    }

    // Policies act through the intent (so the next pass terminates as for any request) and ask to be looked at
    // again when their next deadline comes, rather than being polled.
    private async Task<ReconcileResult?> CheckPoliciesAsync(Pass pass, CancellationToken cancellationToken)
    {
        var verdict = await policies.EvaluateAsync(pass.Intent, pass.State, pass.Running, AwakeSince(pass), cancellationToken);
        if (verdict is null)
        {
            return null;
        }
        pass.PolicyConditions = LifecyclePolicies.Conditions(pass.Intent.Policy, verdict, pass.Intent.Policy.Keep, config.Sleep);
        var now = time.GetUtcNow();
        if (verdict.Fired is { Reason: CauseReasons.Slept } sleep)
        {
            LogPolicyFired(pass.Intent.Subdomain, sleep.Message);
            leadership.EnsureLeading($"record {sleep.Reason} for {pass.Intent.Subdomain}");
            await IntentUpdates.SleepAsync(store, pass.Intent.Subdomain, new EnvironmentEvent(now, sleep.Reason, sleep.Message),
                onlyRevision: pass.Intent.Revision, cancellationToken);
            return null;
        }
        if (verdict.Fired is { } fired)
        {
            LogPolicyFired(pass.Intent.Subdomain, fired.Message);
            leadership.EnsureLeading($"record {fired.Reason} for {pass.Intent.Subdomain}");
            await IntentUpdates.TerminateAsync(store, pass.Intent.Subdomain, now, new EnvironmentEvent(now, fired.Reason, fired.Message),
                onlyRevision: pass.Intent.Revision, cancellationToken);
            return null;
        }
        return verdict.NextCheck(now) is { } at ? ReconcileResult.After(at - now, "PolicyDeadline") : null;
    }

    // sleep_after counts from when it last began serving (Ready became true), or from the last change of its intent
    // (a launch, a wake), whichever is later.
    private DateTimeOffset AwakeSince(Pass pass)
    {
        var readySince = pass.Status.Find(ConditionTypes.Ready) is { Status: ConditionStatus.True } ready ? ready.LastTransitionTime : time.GetUtcNow();
        return readySince > pass.Intent.UpdatedAt ? readySince : pass.Intent.UpdatedAt;
    }

    private async Task PerformAsync(LifecycleAction action, Pass pass, CancellationToken cancellationToken)
    {
        // Every action is a leader-only side effect (ECS, routes, Route53): checked right before it.
        leadership.EnsureLeading($"{action} for {pass.Intent.Subdomain}");
        switch (action)
        {
            case LifecycleAction.RunTasks:
                await RunMissingTasksAsync(pass, cancellationToken);
                break;
            case LifecycleAction.PublishRoute:
                PublishRoute(pass);
                break;
            case LifecycleAction.StopOldTasks:
                foreach (var task in pass.Running.Where(t => !pass.IsCurrent(t)))
                {
                    await StopAsync(task, ReplacedReason, cancellationToken);
                    pass.AddEvent("TaskStopped", $"Stopped task {task.ShortId} of an earlier revision");
                }
                break;
            case LifecycleAction.RemoveRoute:
                if (routes.Has(pass.Intent.Subdomain))
                {
                    routes.Remove(pass.Intent.Subdomain);
                    pass.AddEvent("RouteRemoved", "Route removed");
                }
                break;
            case LifecycleAction.StopTasks:
                foreach (var task in pass.Running)
                {
                    await StopAsync(task, StopReason, cancellationToken);
                    pass.AddEvent("TaskStopping", $"Stopping task {task.ShortId}");
                }
                break;
            case LifecycleAction.RecordStop:
                RecordStops(pass, relaunching: pass.Actions.Contains(LifecycleAction.RunTasks));
                break;
            case LifecycleAction.SyncLinks:
                if (await links.SyncAsync(pass.Intent.Subdomain, pass.Current, cancellationToken) is { } linked)
                {
                    pass.AddEvent("LinksWritten", linked);
                }
                break;
            case LifecycleAction.RemoveLinks:
                if (await links.RemoveAsync(pass.Intent.Subdomain, cancellationToken) is { } unlinked)
                {
                    pass.AddEvent("LinksRemoved", unlinked);
                }
                break;
            case LifecycleAction.RecordFailure:
                var message = pass.FailureMessage ?? $"tasks stopped {pass.Status.Restarts} times; giving up until the next launch";
                pass.AddEvent("Failed", message);
                LogFailed(pass.Intent.Subdomain, message);
                // A wake that failed: the requests waiting at the Edge (any replica's) get 502 with the reason.
                routes.MarkWakeFailed(pass.Intent.Subdomain, message);
                break;
            case LifecycleAction.MarkRouteSleeping:
                if (routes.Get(pass.Intent.Subdomain) is not { Sleeping: true })
                {
                    routes.MarkSleeping(pass.Intent.Subdomain, pass.Intent.LaunchedAt ?? pass.Intent.CreatedAt);
                    pass.AddEvent("RouteSleeping", "Route kept while asleep: a request to it wakes the environment");
                }
                break;
            case LifecycleAction.StopTasksToSleep:
                foreach (var task in pass.Running)
                {
                    await StopAsync(task, StopReasons.Sleeping, cancellationToken);
                    pass.AddEvent("TaskStopping", $"Stopping task {task.ShortId} to sleep");
                }
                break;
            default:
                throw new InvalidOperationException($"unknown lifecycle action {action}");
        }
    }

    private async Task RunMissingTasksAsync(Pass pass, CancellationToken cancellationToken)
    {
        var intent = pass.Intent;
        // A family name is resolved once per pass, however many tasks name it.
        var described = new Dictionary<string, TaskDefinitionInfo>(StringComparer.Ordinal);
        for (var index = 0; index < intent.TaskDefinitions.Count; index++)
        {
            if (pass.Current.Any(t => pass.IndexOf(t) == index))
            {
                continue;
            }
            var name = intent.TaskDefinitions[index];
            if (!described.TryGetValue(name, out var taskDefinition))
            {
                described[name] = taskDefinition = await backend.DescribeTaskDefinitionAsync(name, cancellationToken);
            }
            var (values, configured) = pass.Recovering
                ? RecoveryParameters.For(intent.Parameters, config.Parameters, config.Recover)
                : (intent.Parameters, (IReadOnlyList<ParameterConfig>)config.Parameters);
            var environment = LaunchEnvironment.BuildEnvironment(intent.Subdomain, values, configured, _options.CompatV1);
            var request = new RunTaskRequest(
                intent.TaskDefinitions[index],
                [.. taskDefinition.Containers.Select(c => new ContainerOverride(c.Name, environment))],
                LaunchEnvironment.BuildTags(intent.Subdomain, values, configured, intent.Revision, index),
                StartedBy,
                ClientToken(intent.Subdomain, intent.Revision, index, pass.Restarts, pass.Recoveries));
            leadership.EnsureLeading($"run a task for {intent.Subdomain}");
            var task = await backend.RunTaskAsync(request, cancellationToken);
            observedTasks.Record(task);
            pass.Launched(task);
            pass.AddEvent("TaskLaunched", $"Launched task {task.ShortId} ({taskDefinition.ShortName}) for revision {intent.Revision}");
            LogLaunched(intent.Subdomain, task.Arn, intent.Revision);
        }
    }

    private void PublishRoute(Pass pass)
    {
        // Until every task of the new revision runs, the tasks already serving keep the route.
        var serving = pass.CurrentComplete ? pass.Current : pass.Running.Where(t => t.LastStatus == EcsTaskStatus.Running);
        var before = routes.Get(pass.Intent.Subdomain);
        var route = routes.Set(pass.Intent.Subdomain, serving);
        if (route is not null && (before is null || before.TaskId != route.TaskId))
        {
            pass.AddEvent("RouteLive", $"Route live to task {route.TaskId[(route.TaskId.LastIndexOf('/') + 1)..]}");
        }
    }

    // A stop counts as a restart only when the transition relaunches; the last stop before Failed is not one.
    private void RecordStops(Pass pass, bool relaunching)
    {
        foreach (var arn in pass.Died)
        {
            var stopped = pass.Stopped.FirstOrDefault(t => t.Arn == arn);
            var shortId = arn[(arn.LastIndexOf('/') + 1)..];
            var detail = stopped is null
                ? "it is no longer listed"
                : $"{stopped.StoppedReason ?? "no reason given"}" + string.Concat(stopped.Containers
                    .Where(c => c.ExitCode is not null)
                    .Select(c => $"; {c.Name} exited with code {c.ExitCode}{(c.Reason is null ? "" : $" ({c.Reason})")}"));
            pass.AddEvent("TaskStopped", $"Task {shortId} stopped unexpectedly: {detail}");
            LogTaskStopped(pass.Intent.Subdomain, arn, detail);
        }
        if (relaunching && pass.Recovering)
        {
            pass.Recoveries++;
            pass.AddEvent("Recovered", "Recovered after infrastructure maintenance: relaunching the stopped tasks (not counted as a restart)");
            LogRecovered(pass.Intent.Subdomain);
        }
        else if (relaunching)
        {
            pass.Restarts++;
        }
        pass.ForgetDied();
    }

    // mirage-ecs's recover: every task that stopped was stopped by the infrastructure, and the hourly budget allows it.
    private bool IsInfrastructureStop(Pass pass)
    {
        var recover = config.Recover;
        if (!recover.Enable)
        {
            return false;
        }
        var stops = pass.Died.Select(arn => pass.Stopped.FirstOrDefault(t => t.Arn == arn)).ToList();
        var byInfrastructure = stops.All(t => t is not null &&
            (t.StopCode == TerminationNoticeStopCode ||
             recover.HookStoppedReasons.Any(r => t.StoppedReason?.Contains(r, StringComparison.OrdinalIgnoreCase) == true)));
        if (!byInfrastructure)
        {
            return false;
        }
        var lastHour = pass.Status.Events.Count(e => e.Reason == "Recovered" && e.At > time.GetUtcNow() - TimeSpan.FromHours(1));
        if (lastHour < recover.MaxPerHour)
        {
            return true;
        }
        pass.AddEvent("RecoveryLimited", $"Tasks were stopped by the infrastructure, but {lastHour} recoveries in the last hour reached recover.max_per_hour ({recover.MaxPerHour}); counting this stop as a restart");
        return false;
    }

    private async Task AdoptAsync(string subdomain, IReadOnlyList<ObservedTask> running, CancellationToken cancellationToken)
    {
        var ordered = running.OrderBy(t => TaskTags.IndexOf(t) ?? int.MaxValue).ThenBy(t => t.LaunchedAt).ToList();
        var first = ordered.MinBy(t => t.LaunchedAt)!;
        var parameters = config.Parameters
            .Select(p => (p.Name, Value: first.Tag(p.Name)))
            .Where(p => !string.IsNullOrEmpty(p.Value))
            .ToDictionary(p => p.Name, p => p.Value!, StringComparer.Ordinal);
        var intent = new EnvironmentIntent
        {
            Subdomain = subdomain,
            TaskDefinitions = [.. ordered.Select(t => ShortTaskDefinition(t.TaskDefinitionArn))],
            Parameters = parameters,
            Source = IntentSource.Adopted,
            Revision = ordered.Max(t => TaskTags.RevisionOf(t)) ?? 1,
            CreatedAt = first.LaunchedAt,
            UpdatedAt = time.GetUtcNow(),
            LaunchedAt = first.LaunchedAt,
        };
        try
        {
            leadership.EnsureLeading($"adopt {subdomain}");
            await store.SaveAsync(intent, expectedRevision: 0, cancellationToken);
            LogAdopted(subdomain, ordered.Count);
        }
        catch (IntentConflictException)
        {
            // Someone recorded an intent meanwhile; the Changed event brings the key back.
        }
    }

    private async Task SaveStatusAsync(Pass pass, CancellationToken cancellationToken)
    {
        var status = EnvironmentStatusBuilder.Build(pass, routes.Has(pass.Intent.Subdomain), time.GetUtcNow(), _options.MaxEvents);
        if (!EnvironmentStatusBuilder.SameStatus(status, pass.Status))
        {
            // The writer's term goes with the status, so a store that can compare refuses an older leader's write.
            var term = leadership.EnsureLeading($"save the status of {pass.Intent.Subdomain}");
            await store.SaveStatusAsync(status with { Term = term }, cancellationToken);
        }
    }

    private async Task<ReconcileResult> NextLookAsync(Pass pass, CancellationToken cancellationToken)
    {
        switch (pass.State)
        {
            case LifecycleState.Launching or LifecycleState.Relaunching or LifecycleState.Terminating or LifecycleState.Pending:
                return ReconcileResult.After(_options.TransitionPollInterval, $"{pass.State}");
            case LifecycleState.Sleeping when pass.Running.Count > 0:
                return ReconcileResult.After(_options.TransitionPollInterval, "TasksStoppingToSleep");
            case LifecycleState.Running when pass.Running.Any(t => !pass.IsCurrent(t)):
                return ReconcileResult.After(_options.TransitionPollInterval, "OldTasksStopping");
            case LifecycleState.Terminated when pass.Intent.Source == IntentSource.GitOps && CauseReasons.IsPolicy(pass.Intent.Cause?.Reason):
                // The file still lists it: its record stays (terminated) so the file does not start it again.
                return ReconcileResult.WaitForChange("TerminatedKeptForFile");
            case LifecycleState.Terminated:
                var forgetAt = pass.Intent.UpdatedAt + _options.TerminatedRetention;
                var remaining = forgetAt - time.GetUtcNow();
                if (remaining > TimeSpan.Zero)
                {
                    return ReconcileResult.After(remaining, "TerminatedRetention");
                }
                leadership.EnsureLeading($"forget {pass.Intent.Subdomain}");
                await store.DeleteAsync(pass.Intent.Subdomain, pass.Intent.Revision, cancellationToken);
                states?.Remove(pass.Intent.Subdomain);
                return ReconcileResult.WaitForChange("Forgotten");
            default:
                return ReconcileResult.WaitForChange($"{pass.State}");
        }
    }

    /// <summary>ECS keeps a client token for a while and answers a repeat with the first task; at most 64 characters.</summary>
    public static string ClientToken(string subdomain, long revision, int index, int restarts, int recoveries = 0)
    {
        // Recoveries join the token only when there are some, so tokens of launches without any stay as they were.
        var relaunches = recoveries == 0 ? $"{restarts}" : $"{restarts}\n{recoveries}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{subdomain}\n{revision}\n{index}\n{relaunches}"));
        return "mirage-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private static string ShortTaskDefinition(string arn)
    {
        var slash = arn.LastIndexOf('/');
        return slash >= 0 ? arn[(slash + 1)..] : arn;
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Debug, Message = "{Subdomain} r{Revision}: {From} --{Trigger}--> {To}")]
    private partial void LogTransition(string subdomain, long revision, LifecycleState from, LifecycleTrigger trigger, LifecycleState to);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "{Subdomain}: launched task {TaskArn} for revision {Revision}")]
    private partial void LogLaunched(string subdomain, string taskArn, long revision);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "{Subdomain}: task {TaskArn} stopped unexpectedly: {Detail}")]
    private partial void LogTaskStopped(string subdomain, string taskArn, string detail);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "{Subdomain} failed: {Message}")]
    private partial void LogFailed(string subdomain, string message);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "{Subdomain}: adopted {Count} running tasks that had no intent")]
    private partial void LogAdopted(string subdomain, int count);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "{Subdomain}: {Message}")]
    private partial void LogPolicyFired(string subdomain, string message);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Information, Message = "{Subdomain}: asleep; stopping {Count} tasks, route kept")]
    private partial void LogSlept(string subdomain, int count);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "{Subdomain}: tasks stopped by the infrastructure; relaunching them (recover)")]
    private partial void LogRecovered(string subdomain);
}
