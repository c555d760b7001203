using System.Diagnostics;
using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;
using Mirage.Model.Telemetry;

namespace Mirage.Reconciler.Reconciling;

/// <summary>
/// The reconcile pass's span (<c>mirage.reconcile</c> on the <c>Mirage.Reconciler</c> source). A pass that carries
/// out the intent's revision (the status has not reached it, or the environment is still on its way) is a child of
/// the span that recorded the revision (<see cref="EnvironmentIntent.TraceParent"/>), so one trace shows a launch from
/// the API request to its running tasks. Later passes of a settled environment (resyncs, task events, policies) start
/// their own trace with a link to it: a long-lived environment's launch trace would otherwise grow for weeks.
/// </summary>
public static class ReconcilerTracing
{
    public const string SourceName = "Mirage.Reconciler";
    public const string Result = "mirage.reconcile.result";

    // Immutable and thread-safe; static, as .NET's activity sources are meant to be (MirageTracing says why).
    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartPass(string subdomain, EnvironmentIntent? intent, EnvironmentStatus? status)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        ActivityContext parent = default;
        ActivityLink[]? links = null;
        if (intent?.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, isRemote: true, out var recorded))
        {
            if (CarriesOut(intent, status))
            {
                parent = recorded;
            }
            else
            {
                links = [new ActivityLink(recorded)];
            }
        }
        var activity = Source.StartActivity("mirage.reconcile", ActivityKind.Internal, parent, links: links);
        activity?.SetTag(MirageTracing.Environment, subdomain);
        if (intent is not null)
        {
            activity?.SetTag(MirageTracing.Revision, intent.Revision);
        }
        return activity;
    }

    public static void Transition(Activity? activity, LifecycleState from, LifecycleTrigger trigger, LifecycleState to)
    {
        activity?.SetTag("mirage.lifecycle.from", from.ToString());
        activity?.SetTag("mirage.lifecycle.trigger", trigger.ToString());
        activity?.SetTag("mirage.lifecycle.to", to.ToString());
    }

    private static bool CarriesOut(EnvironmentIntent intent, EnvironmentStatus? status) =>
        status is null
        || status.ObservedRevision != intent.Revision
        || status.State is LifecycleState.Pending or LifecycleState.Launching or LifecycleState.Relaunching or LifecycleState.Terminating;
}
