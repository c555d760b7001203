using System.ComponentModel.DataAnnotations;

namespace Mirage.Reconciler.Reconciling;

public sealed class ReconcilerOptions
{
    /// <summary>Environments reconciled at once (one key is never reconciled twice at once).</summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 4;

    /// <summary>Every environment is reconciled at least this often, whatever happened.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How soon to look again while tasks start or stop.</summary>
    public TimeSpan TransitionPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Relaunches of a revision whose task stopped on its own before it is marked Failed.</summary>
    [Range(0, 100)]
    public int MaxRestarts { get; set; } = 3;

    /// <summary>How long a terminated environment's intent and history are kept before they are forgotten.</summary>
    public TimeSpan TerminatedRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>mirage-ecs -compat-v1: the SUBDOMAIN variable carries the base64url subdomain.</summary>
    public bool CompatV1 { get; set; }

    /// <summary>Recent events kept per environment.</summary>
    [Range(1, 1000)]
    public int MaxEvents { get; set; } = 50;
}
