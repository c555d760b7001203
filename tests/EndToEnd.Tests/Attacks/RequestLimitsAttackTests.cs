using System.Globalization;
using System.Net;
using System.Text;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// Issue 12's request limits against a real mirage: oversized and deeply nested bodies are refused with a message and
/// change nothing; a flood of made-up host names under the suffix costs no memory per name.
/// </summary>
public sealed class RequestLimitsAttackTests : IAsyncLifetime
{
    private MirageProcess _mirage = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _mirage = await MirageProcess.StartAsync(new MirageProcessOptions(), Token);

    public async ValueTask DisposeAsync() => await _mirage.DisposeAsync();

    [Fact]
    public async Task A_2_MB_body_is_413_whether_its_length_is_declared_or_chunked_and_nothing_is_launched()
    {
        const int twoMegabytes = 2 * 1024 * 1024;
        var head = $"POST /api/launch HTTP/1.1\r\nHost: {MirageProcess.WebHost}:{_mirage.Port}\r\nContent-Type: application/json\r\n";

        // Declared: refused from the headers alone, before a byte of the body is sent.
        var sized = await RawExchangeAsync(Encoding.ASCII.GetBytes(head + $"Content-Length: {twoMegabytes}\r\n\r\n"));

        // Chunked: one chunk that announces 2 MB; the limit must hold while it streams in. Only as much is sent as
        // the server must read to pass the limit, so it closes with nothing unread (a reset could swallow its answer).
        var chunk = new MemoryStream();
        chunk.Write(Encoding.ASCII.GetBytes(head + $"Transfer-Encoding: chunked\r\n\r\n{twoMegabytes:x}\r\n{{\"pad\":\""));
        chunk.Write(Encoding.ASCII.GetBytes(new string('x', 1024 * 1024 + 4096)));
        var chunked = await RawExchangeAsync(chunk.ToArray());

        foreach (var answer in new[] { sized, chunked })
        {
            Assert.StartsWith("HTTP/1.1 413 ", answer, StringComparison.Ordinal);
            Assert.Contains("the request body must not exceed 1048576 bytes (1 MB)", answer, StringComparison.Ordinal);
        }
        await NothingLaunchedAndAliveAsync();
    }

    // Sends the bytes, then reads the answer until the server closes (it does after refusing a body).
    private async Task<string> RawExchangeAsync(byte[] request)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _mirage.Port, Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request, Token);
        using var answer = new MemoryStream();
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Token);
        patience.CancelAfter(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(answer, patience.Token);
        return Encoding.UTF8.GetString(answer.ToArray());
    }

    [Fact]
    public async Task Json_nested_1000_deep_is_400_with_a_message_and_nothing_is_launched()
    {
        var json = "{\"subdomain\":\"deep\",\"branch\":\"main\",\"taskdef\":[\"demo\"],\"parameters\":" + new string('[', 1000) + new string(']', 1000) + "}";

        using var client = _mirage.CreateClient();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var deep = await client.PostAsync("/api/launch", content, Token);

        Assert.Equal(HttpStatusCode.BadRequest, deep.StatusCode);
        var message = await deep.Content.ReadAsStringAsync(Token);
        Assert.Contains("request body is not valid JSON", message, StringComparison.Ordinal);
        Assert.Contains("depth", message, StringComparison.OrdinalIgnoreCase);
        await NothingLaunchedAndAliveAsync();
    }

    [Fact]
    public async Task A_hundred_thousand_made_up_hosts_under_the_suffix_leave_memory_flat()
    {
        // Warm up with as many names as are measured (JIT, pools, and the GC heap grown to what this load needs), then
        // compare the resident set after 100,000 more: a per-name cache would keep growing, a settled heap does not.
        await FloodAsync(100_000, "warm");
        var before = ResidentBytes(_mirage.ProcessId);
        await FloodAsync(100_000, "flood");
        var after = ResidentBytes(_mirage.ProcessId);

        var growth = after - before;
        // A per-name cache entry of even 100 bytes would add 10 MB here; a settled heap adds well under 1 MB.
        Assert.True(growth < 10 * 1024 * 1024, _mirage.Explain($"RSS grew by {growth / 1024} KiB over 100,000 names ({before / 1024} KiB → {after / 1024} KiB)"));
        await NothingLaunchedAndAliveAsync();
    }

    private async Task FloodAsync(int requests, string prefix)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = _mirage.BaseAddress };
        var next = -1;
        var unexpected = 0;
        var workers = Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.Host = $"{prefix}-{i.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}.localtest.me:{_mirage.Port}";
                using var answer = await client.SendAsync(request, Token);
                if (answer.StatusCode != HttpStatusCode.NotFound)
                {
                    Interlocked.Increment(ref unexpected);
                }
            }
        });
        await Task.WhenAll(workers);
        Assert.Equal(0, unexpected);
    }

    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private async Task NothingLaunchedAndAliveAsync()
    {
        Assert.False(_mirage.HasExited, _mirage.Explain("mirage exited"));
        using var client = _mirage.CreateClient();
        Assert.Equal("{\"result\":[]}", (await client.GetStringAsync("/api/list", Token)).Trim());
    }
}
