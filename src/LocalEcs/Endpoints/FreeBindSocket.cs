using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Mirage.LocalEcs.Endpoints;

/// <summary>
/// Kestrel's default listen socket, with IP_FREEBIND for non-loopback IPv4 addresses on Linux: a container engine's
/// bridge (with the gateway address the endpoints listen on) may appear only when its first container starts.
/// </summary>
internal static class FreeBindSocket
{
    public static Socket Create(EndPoint endpoint)
    {
        if (endpoint is not IPEndPoint { Address.IsIPv4MappedToIPv6: false } ip
            || ip.Address.AddressFamily != AddressFamily.InterNetwork
            || IPAddress.IsLoopback(ip.Address)
            || ip.Address.Equals(IPAddress.Any)
            || !OperatingSystem.IsLinux())
        {
            return SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            const int ipFreeBind = 15;
            socket.SetRawSocketOption((int)SocketOptionLevel.IP, ipFreeBind, BitConverter.GetBytes(1));
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(ip);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
