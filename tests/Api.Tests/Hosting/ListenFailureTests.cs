using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Mirage.Api.Hosting;
using Mirage.Model.Configuration;

namespace Mirage.Api.Tests.Hosting;

/// <summary>Kestrel's bind failures as Mirage reports them (the port-in-use case runs for real in MirageProcessTests).</summary>
public sealed class ListenFailureTests
{
    private static readonly ListenConfig Listen = new() { ForeignAddress = "0.0.0.0", Http = [new ListenPort(80, 80), new ListenPort(8080, 8080)] };

    [Fact]
    public void Permission_denied_names_the_ports_and_the_ways_to_bind_below_1024()
    {
        // What Kestrel throws, unwrapped, when a non-root process binds port 80 (seen with setpriv --reuid=65534).
        var message = ListenFailure.Describe(new SocketException((int)SocketError.AccessDenied), Listen);

        Assert.Equal("cannot listen on 0.0.0.0 port(s) 80, 8080: permission denied; ports below 1024 need root or CAP_NET_BIND_SERVICE " +
            "(or sysctl net.ipv4.ip_unprivileged_port_start), else set listen.http to ports from 1024", message);
    }

    [Fact]
    public void Address_in_use_is_found_inside_Kestrels_wrapper()
    {
        var wrapped = new IOException("Failed to bind to address http://0.0.0.0:80: address already in use.", new AddressInUseException("Address already in use"));

        var message = ListenFailure.Describe(wrapped, Listen);

        Assert.Equal("cannot listen on 0.0.0.0 port(s) 80, 8080: Failed to bind to address http://0.0.0.0:80: address already in use; stop what uses it, or change listen.http", message);
    }

    [Fact]
    public void Other_failures_are_left_to_the_host()
    {
        Assert.Null(ListenFailure.Describe(new InvalidOperationException("something else"), Listen));
        Assert.Null(ListenFailure.Describe(new SocketException((int)SocketError.ConnectionRefused), Listen));
    }
}
