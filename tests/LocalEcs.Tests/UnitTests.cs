using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using Mirage.LocalEcs.Credentials;
using Mirage.LocalEcs.Endpoints;
using Mirage.LocalEcs.Processes;
using Mirage.LocalEcs.Tasks;
using Mirage.TestKit;

namespace Mirage.LocalEcs.Tests;

public sealed class UnitTests
{
    private static readonly Dictionary<int, int> Ports = new() { [8080] = 41000, [9090] = 42000 };

    [Fact]
    public void Port_placeholders_expand_and_everything_else_is_kept()
    {
        Assert.Equal("--port 41000 http://x:42000/${PORT_1} ${HOME}", PortExpansion.Expand("--port ${PORT} http://x:${PORT_9090}/${PORT_1} ${HOME}", 41000, Ports));
        Assert.Equal("${PORT}", PortExpansion.Expand("${PORT}", null, Ports));
    }

    [Property(MaxTest = 1000)]
    public bool Text_without_a_dollar_is_kept_and_a_port_placeholder_expands_inside_it(string? text)
    {
        var plain = (text ?? "").Replace("$", "", StringComparison.Ordinal);
        return PortExpansion.Expand(plain, 41000, Ports) == plain
            && PortExpansion.Expand(plain + "${PORT_8080}" + plain, null, Ports) == plain + "41000" + plain;
    }

    [Fact]
    public void Proc_stat_lines_parse_even_with_odd_command_names()
    {
        var line = "4242 (we (ird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 17 5 0 0 20 0 3 0 123456 1000000 200 18446744073709551615";

        var stat = ProcFs.ParseStat(line)!;

        Assert.Equal((4242, 'S', 1, 4242, 4242, 17L, 5L, 3, 123456L), (stat.Pid, stat.State, stat.ParentPid, stat.GroupId, stat.SessionId, stat.UserTicks, stat.SystemTicks, stat.Threads, stat.StartTicks));
        Assert.False(stat.HasExited);
        Assert.True(ProcFs.ParseStat(line.Replace(") S ", ") Z ", StringComparison.Ordinal))!.HasExited);
        Assert.Null(ProcFs.ParseStat("garbage"));
    }

    [Fact]
    public void The_current_process_is_alive_by_pid_and_start_time()
    {
        var self = ProcFs.TryReadStat(Environment.ProcessId)!;

        Assert.True(ProcFs.IsAlive(self.Pid, self.StartTicks));
        Assert.False(ProcFs.IsAlive(self.Pid, self.StartTicks + 1));
        Assert.True(ProcFs.ReadMemory(self.Pid).Resident > 0);
    }

    [Theory]
    [InlineData("app", "ecs-local-app")]
    [InlineData("a-role-name-that-is-long-enough-to-pass-the-sixty-four-character-limit", "ecs-local-a-role-name-that-is-long-enough-to-pass-the-sixty-four")]
    public void Session_names_are_cut_to_64_characters(string role, string expected)
    {
        var name = TaskCredentialsProvider.SessionName(role);

        Assert.Equal(expected, name);
        Assert.True(name.Length <= 64);
    }

    [Fact]
    public async Task Temporary_base_credentials_are_passed_through_without_calling_sts()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        // No STS answers at this address: a call to it would fail the test.
        var options = Microsoft.Extensions.Options.Options.Create(new LocalEcsOptions { StsServiceUrl = "http://127.0.0.1:9/" });
        using var provider = new TaskCredentialsProvider(options, clock, new Amazon.Runtime.SessionAWSCredentials("ASIATEMP", "temp-secret", "temp-token"));

        var credentials = await provider.ForBaseAsync(TestContext.Current.CancellationToken);

        Assert.Equal(("ASIATEMP", "temp-secret", "temp-token", ""), (credentials.AccessKeyId, credentials.SecretAccessKey, credentials.Token, credentials.RoleArn));
        Assert.Equal(clock.GetUtcNow().AddMinutes(20), credentials.Expiration);
    }

    [Fact]
    public void Timestamps_are_written_as_go_rfc3339()
    {
        var instant = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1234500);

        Assert.Equal("2026-01-02T01:04:05.12345Z", Rfc3339.Format(instant));
        Assert.Equal("2026-01-02T01:04:05Z", Rfc3339.Format(instant.AddTicks(-1234500)));
        Assert.Equal("2026-01-02T01:04:05Z", Rfc3339.FormatSeconds(instant));
    }

    [Fact]
    public void Vended_credentials_never_print_their_secrets()
    {
        var credentials = new VendedCredentials("ASIAEXAMPLE", "secret-key", "session-token", DateTimeOffset.UnixEpoch, "arn:aws:iam::1:role/r");

        var text = credentials.ToString();

        Assert.DoesNotContain("secret-key", text, StringComparison.Ordinal);
        Assert.DoesNotContain("session-token", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ASIAEXAMPLE", text, StringComparison.Ordinal);
        Assert.Contains("arn:aws:iam::1:role/r", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_are_validated_with_messages_that_say_what_to_fix()
    {
        var result = new LocalEcsOptionsValidator().Validate(null, new LocalEcsOptions
        {
            TaskDefinitionsFolder = "/nonexistent/task-definitions",
            AccountId = "12",
            Region = "US East",
            Cluster = "a b",
            EndpointPort = 70000,
            StopGracePeriod = TimeSpan.Zero,
            StsServiceUrl = "not a url",
        });

        Assert.True(result.Failed);
        var message = result.FailureMessage;
        Assert.Contains("'/nonexistent/task-definitions' does not exist", message, StringComparison.Ordinal);
        Assert.Contains("account '12' must be 12 digits", message, StringComparison.Ordinal);
        Assert.Contains("region 'US East'", message, StringComparison.Ordinal);
        Assert.Contains("cluster 'a b'", message, StringComparison.Ordinal);
        Assert.Contains("endpoint port 70000", message, StringComparison.Ordinal);
        Assert.Contains("stop grace period must be positive", message, StringComparison.Ordinal);
        Assert.Contains("'not a url'", message, StringComparison.Ordinal);
        Assert.True(new LocalEcsOptionsValidator().Validate(null, new LocalEcsOptions { TaskDefinitionsFolder = Path.GetTempPath() }).Succeeded);
    }
}
