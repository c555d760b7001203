using System.Globalization;
using Mirage.LocalEcs.Processes;
using Mirage.LocalEcs.Tasks;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Endpoints;

/// <summary>
/// Finds which local container opened a loopback connection, for the v2 routes that have no id in their path (real
/// ECS tells callers apart by their IP; on loopback all share one). The client socket's inode comes from
/// /proc/net/tcp, then the container whose session holds a process owning that socket is the caller.
/// </summary>
internal static class CallerLookup
{
    public static (LocalTaskSnapshot Task, string Container)? Find(IEnumerable<LocalTaskSnapshot> tasks, int clientPort, int serverPort)
    {
        var inode = SocketInode(clientPort, serverPort);
        if (inode is null)
        {
            return null;
        }
        var target = $"socket:[{inode}]";
        foreach (var task in tasks.Where(t => t.LastStatus != EcsTaskStatus.Stopped))
        {
            foreach (var container in task.Containers)
            {
                if (container.Pid is not { } pid || container.StartTicks is not { } ticks || !ProcFs.IsAlive(pid, ticks))
                {
                    continue;
                }
                if (ProcFs.SessionMembers(pid).Any(member => OwnsSocket(member.Pid, target)))
                {
                    return (task, container.Name);
                }
            }
        }
        return null;
    }

    private static string? SocketInode(int clientPort, int serverPort)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/net/tcp");
        }
        catch (IOException)
        {
            return null;
        }
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10)
            {
                continue;
            }
            if (Port(fields[1]) == clientPort && Port(fields[2]) == serverPort)
            {
                return fields[9];
            }
        }
        return null;
    }

    private static int Port(string address)
    {
        var colon = address.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && int.TryParse(address.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port) ? port : -1;
    }

    private static bool OwnsSocket(int pid, string target)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Any(fd => new FileInfo(fd).LinkTarget == target);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
