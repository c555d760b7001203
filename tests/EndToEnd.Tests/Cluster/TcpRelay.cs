using System.Net;
using System.Net.Sockets;

namespace Mirage.EndToEnd.Tests.Cluster;

/// <summary>
/// A loopback TCP relay in front of one service: <see cref="Cut"/> closes the port and every open connection (the
/// service is unreachable: connections are refused), <see cref="Restore"/> opens the same port again.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly int _target;
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _accepting;
    private Task _acceptLoop = Task.CompletedTask;

    public TcpRelay(int target)
    {
        _target = target;
        Port = Mirage.TestKit.FreePort.Next();
        Restore();
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public void Restore()
    {
        lock (_gate)
        {
            _listener = new TcpListener(IPAddress.Loopback, Port);
            _listener.Start();
            _accepting = new CancellationTokenSource();
            _acceptLoop = AcceptAsync(_listener, _accepting.Token);
        }
    }

    public async Task CutAsync()
    {
        Task loop;
        lock (_gate)
        {
            _accepting?.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var client in _open)
            {
                client.Dispose();
            }
            _open.Clear();
            loop = _acceptLoop;
        }
        await loop;
    }

    public async ValueTask DisposeAsync()
    {
        await CutAsync();
        _accepting?.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var outbound = new TcpClient();
            lock (_gate)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }
            _ = RelayAsync(inbound, outbound, cancellationToken);
        }
    }

    private async Task RelayAsync(TcpClient inbound, TcpClient outbound, CancellationToken cancellationToken)
    {
        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _target, cancellationToken);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, cancellationToken), b.CopyToAsync(a, cancellationToken));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Cut, or one side closed.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }
}
