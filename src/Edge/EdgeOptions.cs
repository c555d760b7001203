namespace Mirage.Edge;

/// <summary>Edge settings that are not in the mirage-ecs config file.</summary>
public sealed class EdgeOptions
{
    /// <summary>
    /// When a route has no destination for a listener's target port, forward to the destinations of its lowest port
    /// instead of answering 404. Local mode sets this, as mirage-ecs <c>-local</c> accepts any port.
    /// </summary>
    public bool AnyTargetPort { get; set; }

    /// <summary>How long a destination that refused a connection stays out of rotation.</summary>
    public TimeSpan RefusedDestinationCooldown { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for a TCP connection to a destination.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
