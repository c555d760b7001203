using Mirage.Model.Backend;
using Mirage.Model.Intents;
using Mirage.Model.Launch;
using Mirage.Model.Lifecycle;

namespace Mirage.Reconciler.Reconciling;

/// <summary>What one reconcile pass knows about an environment, and what it changed.</summary>
internal sealed class Pass
{
    private readonly Dictionary<string, int> _adoptedIndexes = new(StringComparer.Ordinal);
    private readonly List<string> _knownTasks;
    private readonly List<EnvironmentEvent> _newEvents = [];
    private readonly DateTimeOffset _now;

    public Pass(EnvironmentIntent intent, EnvironmentStatus status, IReadOnlyList<ObservedTask> running, IReadOnlyList<ObservedTask> stopped, DateTimeOffset now)
    {
        Intent = intent;
        Status = status;
        Stopped = stopped;
        _now = now;
        State = status.State;
        // A task whose desired status is RUNNING may already have stopped (it failed to start): it is not running.
        Running = [.. running.Where(t => t.LastStatus != EcsTaskStatus.Stopped)];
        AssignAdoptedIndexes();
        Current = [.. Running.Where(IsCurrent)];
        CurrentComplete = Enumerable.Range(0, intent.TaskDefinitions.Count)
            .All(i => Current.Any(t => IndexOf(t) == i && t.LastStatus == EcsTaskStatus.Running));

        var sameRevision = status.ObservedRevision == intent.Revision;
        Restarts = sameRevision ? status.Restarts : 0;
        Recoveries = sameRevision ? status.Recoveries : 0;
        // Tasks of the current revision that we saw before and that are gone now stopped on their own.
        _knownTasks = sameRevision ? [.. status.Tasks] : [];
        // A task stopped to sleep did not die, whatever pass sees it gone.
        Died = [.. _knownTasks.Where(arn => !Running.Any(t => t.Arn == arn) &&
                                            !stopped.Any(t => t.Arn == arn && t.StoppedReason == StopReasons.Sleeping))];
        foreach (var task in Current.Where(t => !_knownTasks.Contains(t.Arn)))
        {
            // Launched by a pass that crashed before it recorded the task.
            _knownTasks.Add(task.Arn);
        }
    }

    public EnvironmentIntent Intent { get; }
    public EnvironmentStatus Status { get; }
    public IReadOnlyList<ObservedTask> Running { get; }
    public IReadOnlyList<ObservedTask> Stopped { get; }
    public IReadOnlyList<ObservedTask> Current { get; }

    /// <summary>Every task definition of the current revision has a RUNNING task.</summary>
    public bool CurrentComplete { get; }

    /// <summary>ARNs of current-revision tasks that stopped without being asked to.</summary>
    public IReadOnlyList<string> Died { get; private set; }

    public LifecycleState State { get; set; }

    /// <summary>The actions of the transition being performed.</summary>
    public IReadOnlyList<LifecycleAction> Actions { get; set; } = [];
    public int Restarts { get; set; }

    /// <summary>Relaunches after infrastructure stops; they do not count as restarts but do change the client token.</summary>
    public int Recoveries { get; set; }

    /// <summary>The stops seen in this pass were made by the infrastructure and are relaunched as a recovery.</summary>
    public bool Recovering { get; set; }

    public IReadOnlyList<Policies.PolicyCondition> PolicyConditions { get; set; } = [];
    public string? FailureMessage { get; set; }

    public IReadOnlyList<string> KnownTasks => _knownTasks;
    public IReadOnlyList<EnvironmentEvent> NewEvents => _newEvents;

    public bool IsCurrent(ObservedTask task) =>
        RevisionOf(task) == Intent.Revision && IndexOf(task) is { } index && index < Intent.TaskDefinitions.Count;

    public int? IndexOf(ObservedTask task) =>
        TaskTags.IndexOf(task) ?? (_adoptedIndexes.TryGetValue(task.Arn, out var index) ? index : null);

    public void Launched(ObservedTask task)
    {
        if (!_knownTasks.Contains(task.Arn))
        {
            _knownTasks.Add(task.Arn);
        }
    }

    public void ForgetDied()
    {
        _knownTasks.RemoveAll(Died.Contains);
        Died = [];
    }

    public void AddEvent(string reason, string message) => _newEvents.Add(new EnvironmentEvent(_now, reason, message));

    // Tasks launched by mirage-ecs carry no revision tag: they belong to an adopted intent's revision, and to no other.
    private long RevisionOf(ObservedTask task) =>
        TaskTags.RevisionOf(task) ?? (Intent.Source == IntentSource.Adopted ? Intent.Revision : 0);

    // Untagged tasks of an adopted intent fill the task definition slots they match, earliest launch first.
    private void AssignAdoptedIndexes()
    {
        if (Intent.Source != IntentSource.Adopted)
        {
            return;
        }
        var taken = new HashSet<int>(Running.Select(TaskTags.IndexOf).OfType<int>());
        foreach (var task in Running.Where(t => TaskTags.IndexOf(t) is null).OrderBy(t => t.LaunchedAt))
        {
            var family = task.TaskDefinitionArn[(task.TaskDefinitionArn.LastIndexOf('/') + 1)..];
            for (var i = 0; i < Intent.TaskDefinitions.Count; i++)
            {
                var wanted = Intent.TaskDefinitions[i];
                var matches = wanted == family || wanted == family.Split(':')[0] || wanted == task.TaskDefinitionArn;
                if (matches && taken.Add(i))
                {
                    _adoptedIndexes[task.Arn] = i;
                    break;
                }
            }
        }
    }
}
