using Mirage.Api.Web.Pages;
using Mirage.Model.Backend;

namespace Mirage.Api.Tests.Web;

public sealed class TaskTraceTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 0, 0, TimeSpan.Zero);

    private static ObservedTask Stopped() => new()
    {
        Arn = "arn:aws:ecs:us-east-1:123456789012:task/dev/abc123",
        TaskDefinitionArn = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3",
        LastStatus = EcsTaskStatus.Stopped,
        DesiredStatus = EcsTaskStatus.Stopped,
        CreatedAt = Created,
        PullStartedAt = Created.AddSeconds(1),
        PullStoppedAt = Created.AddSeconds(5),
        StartedAt = Created.AddSeconds(6),
        StoppingAt = Created.AddHours(2),
        StoppedAt = Created.AddHours(2).AddSeconds(3),
        StoppedReason = "Essential container in task exited",
        StopCode = "EssentialContainerExited",
        Containers = [new ObservedContainer("app", EcsTaskStatus.Stopped, 137, "OutOfMemoryError")],
    };

    [Fact]
    public void The_trace_lists_lifecycle_containers_and_logs_near_start_and_stop_in_time_order()
    {
        var task = Stopped();
        LogLine[] logs =
        [
            new(Created.AddSeconds(7), "app", "listening"),
            new(Created.AddMinutes(30), "app", "middle of the day"),
            new(Created.AddHours(2).AddSeconds(1), "app", "out of memory"),
        ];
        var trace = TaskTrace.Build(task, logs, "dev", Created.AddHours(3));
        var text = trace.ToText();

        Assert.Equal(
            """
            Tracer: abc123 on dev
            2026-01-02T03:00:00.000Z	TASK	Created
            2026-01-02T03:00:01.000Z	TASK	Pull started
            2026-01-02T03:00:05.000Z	TASK	Pull stopped
            2026-01-02T03:00:06.000Z	TASK	Started
            2026-01-02T03:00:07.000Z	CONTAINER:app	listening
            2026-01-02T05:00:00.000Z	TASK	Stopping
            2026-01-02T05:00:01.000Z	CONTAINER:app	out of memory
            2026-01-02T05:00:03.000Z	TASK	Stopped
            2026-01-02T05:00:03.000Z	TASK	StoppedReason:Essential container in task exited
            2026-01-02T05:00:03.000Z	TASK	StoppedCode:EssentialContainerExited
            2026-01-02T05:00:03.000Z	TASK	LastStatus:STOPPED
            2026-01-02T05:00:03.000Z	CONTAINER:app	LastStatus:STOPPED (exit code: 137) (reason: OutOfMemoryError)

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void The_log_windows_are_five_minutes_around_the_start_and_before_now_for_a_running_task()
    {
        var running = Stopped() with { StoppingAt = null, StoppedAt = null, LastStatus = EcsTaskStatus.Running };
        var now = Created.AddHours(1);
        Assert.True(TaskTrace.InWindows(running, Created.AddMinutes(-5), now));
        Assert.False(TaskTrace.InWindows(running, Created.AddMinutes(-6), now));
        Assert.True(TaskTrace.InWindows(running, Created.AddSeconds(5).AddMinutes(5), now));
        Assert.False(TaskTrace.InWindows(running, Created.AddMinutes(6), now));
        Assert.True(TaskTrace.InWindows(running, now.AddMinutes(-4), now));
        Assert.False(TaskTrace.InWindows(running, now.AddMinutes(-6), now));
        Assert.Equal(Created.AddMinutes(-5), TaskTrace.LogsSince(running));
    }
}
