namespace Mirage.Edge.Bench;

/// <summary>
/// Something the load generators send to: the backend itself (direct, no process of its own to charge) or a proxy
/// whose process tree's CPU is read before and after each run.
/// </summary>
public sealed record BenchTarget(string Name, int Port, int? Pid)
{
    public const string Direct = "direct";
    public const string Nginx1 = "nginx (1 worker)";
    public const string NginxAuto = "nginx (auto)";
    public const string BareYarp = "bare YARP";
    public const string Edge = "Edge";
    public const string Edge10k = "Edge, 10,000 routes";
}
