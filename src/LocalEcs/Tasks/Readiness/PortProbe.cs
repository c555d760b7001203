using System.Net;
using System.Net.Sockets;

namespace Mirage.LocalEcs.Tasks.Readiness;

/// <summary>Whether something accepts TCP connections on a loopback port.</summary>
internal static class PortProbe
{
    /// <summary>How long one connection attempt may take: a port that neither accepts nor refuses is not ready.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    public static async Task<bool> AcceptsConnectionsAsync(int port, TimeProvider time, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(AttemptTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
