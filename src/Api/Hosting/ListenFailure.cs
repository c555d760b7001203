using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Mirage.Model.Configuration;

namespace Mirage.Api.Hosting;

/// <summary>Turns Kestrel's bind failures into one line that says which ports and what to change.</summary>
public static class ListenFailure
{
    /// <summary>The message for a bind failure, or null when <paramref name="error"/> is something else.</summary>
    public static string? Describe(Exception error, ListenConfig listen)
    {
        var ports = string.Join(", ", listen.Http.Select(p => p.Listen));
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AddressInUseException:
                    return $"cannot listen on {listen.ForeignAddress} port(s) {ports}: {Detail(error)}; stop what uses it, or change listen.http";
                case SocketException { SocketErrorCode: SocketError.AccessDenied }:
                    return $"cannot listen on {listen.ForeignAddress} port(s) {ports}: permission denied; ports below 1024 need root or " +
                        "CAP_NET_BIND_SERVICE (or sysctl net.ipv4.ip_unprivileged_port_start), else set listen.http to ports from 1024";
                case SocketException { SocketErrorCode: SocketError.AddressNotAvailable }:
                    return $"cannot listen on {listen.ForeignAddress}: no interface has this address; change listen.foreign_address";
            }
        }
        return null;
    }

    private static string Detail(Exception error) => error is IOException ? error.Message.TrimEnd('.') : "address already in use";
}
