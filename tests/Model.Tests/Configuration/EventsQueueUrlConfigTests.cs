using Mirage.Model.Configuration;
using static Mirage.Model.Tests.Configuration.ConfigFixtures;

namespace Mirage.Model.Tests.Configuration;

public sealed class EventsQueueUrlConfigTests
{
    [Fact]
    public void Events_queue_url_is_read_and_shown_in_the_config_dump()
    {
        var result = Load("""
            ecs:
              cluster: mirage
              events_queue_url: https://sqs.us-east-1.amazonaws.com/123456789012/mirage-ecs-events
            """);

        Assert.Empty(result.Warnings);
        Assert.Equal("https://sqs.us-east-1.amazonaws.com/123456789012/mirage-ecs-events", result.Config.Ecs.EventsQueueUrl);
        Assert.Contains("events_queue_url: \"https://sqs.us-east-1.amazonaws.com/123456789012/mirage-ecs-events\"", ConfigDump.ToYaml(result.Config), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_key_there_is_no_watch() =>
        Assert.Equal("", Load("ecs:\n  cluster: mirage\n").Config.Ecs.EventsQueueUrl);

    [Fact]
    public void An_events_queue_url_that_is_not_a_URL_is_refused_with_what_to_write()
    {
        var error = LoadFails("""
            ecs:
              events_queue_url: mirage-ecs-events
            """);

        Assert.Contains("ecs.events_queue_url", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://sqs.<region>.amazonaws.com/<account>/<queue>", error.Message, StringComparison.Ordinal);
    }
}
