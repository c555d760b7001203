using System.Text.Json;
using Mirage.Api.AccessLog;

namespace Mirage.Api.Tests.AccessLog;

public sealed class AccessLogLineTests
{
    [Fact]
    public void A_line_has_echos_fields_in_echos_order_with_latency_in_nanoseconds_and_as_a_go_duration()
    {
        var line = AccessLogLine.Format(new AccessLogEntry(
            new DateTimeOffset(2026, 12, 5, 1, 2, 3, 450, TimeSpan.Zero), "req-1", "127.0.0.1", "mirage.localtest.me",
            "POST", "/api/launch?x=1", "curl/8", 400, "", TimeSpan.FromTicks(12_345), 17, 31));

        Assert.Equal(
            """{"time":"2026-12-05T01:02:03.45Z","id":"req-1","remote_ip":"127.0.0.1","host":"mirage.localtest.me","method":"POST","uri":"/api/launch?x=1","user_agent":"curl/8","status":400,"error":"","latency":1234500,"latency_human":"1.2345ms","bytes_in":17,"bytes_out":31}""",
            line);
    }

    [Fact]
    public void A_whole_second_drops_the_fraction_and_text_is_escaped()
    {
        var line = AccessLogLine.Format(new AccessLogEntry(
            new DateTimeOffset(2026, 12, 5, 1, 2, 3, TimeSpan.Zero), "", "::1", "h", "GET", "/a\"b", "ua\n", 200, "", TimeSpan.Zero, 0, 0));

        using var json = JsonDocument.Parse(line);
        Assert.Equal("2026-12-05T01:02:03Z", json.RootElement.GetProperty("time").GetString());
        Assert.Equal("/a\"b", json.RootElement.GetProperty("uri").GetString());
        Assert.Equal("0s", json.RootElement.GetProperty("latency_human").GetString());
        Assert.DoesNotContain('\n', line);
    }
}
