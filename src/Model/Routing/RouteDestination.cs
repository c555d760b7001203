namespace Mirage.Model.Routing;

/// <summary>One upstream address the Edge may forward to: a task's IP (or loopback, for LocalEcs) and host port.</summary>
public sealed record RouteDestination(string Host, int Port)
{
    public override string ToString() => $"{Host}:{Port}";
}
