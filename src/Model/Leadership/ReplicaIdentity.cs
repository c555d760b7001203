namespace Mirage.Model.Leadership;

/// <summary>Who this replica is: <c>MIRAGE_REPLICA_ID</c> when set (e.g. the ECS task id), else host name and process id.</summary>
public sealed record ReplicaIdentity(string Id, string Address)
{
    public const string IdVariable = "MIRAGE_REPLICA_ID";

    public static ReplicaIdentity ForThisProcess(int port)
    {
        var host = System.Net.Dns.GetHostName();
        var id = Environment.GetEnvironmentVariable(IdVariable) is { Length: > 0 } configured
            ? configured
            : $"{host}-{Environment.ProcessId}";
        return new ReplicaIdentity(id, $"{host}:{port}");
    }
}
