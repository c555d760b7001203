using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mirage.Model.Intents;
using Mirage.Model.Lifecycle;

namespace Mirage.Model.Tests.Intents;

public sealed class ModelJsonContextTests
{
    private static readonly DateTimeOffset Epoch = new(2024, 3, 14, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void WritesCamelCaseNamesAndEnumsAndLeavesNullsOut()
    {
        var intent = new EnvironmentIntent
        {
            Subdomain = "foo-*",
            TaskDefinitions = ["web:3"],
            Parameters = new Dictionary<string, string> { ["branch"] = "feature/x" },
            Source = IntentSource.GitOps,
            Desired = DesiredState.Terminated,
            Policy = new LifecyclePolicy(Keep: true, Ttl: TimeSpan.FromHours(2)),
            CreatedAt = Epoch,
            UpdatedAt = Epoch,
        };

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(intent, ModelJsonContext.Default.EnvironmentIntent));
        var root = json.RootElement;

        Assert.Equal(
            ["subdomain", "taskDefinitions", "parameters", "source", "desired", "revision", "policy", "createdAt", "updatedAt"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("gitOps", root.GetProperty("source").GetString());
        Assert.Equal("terminated", root.GetProperty("desired").GetString());
        Assert.Equal("feature/x", root.GetProperty("parameters").GetProperty("branch").GetString());
        Assert.Equal("02:00:00", root.GetProperty("policy").GetProperty("ttl").GetString());
        Assert.False(root.GetProperty("policy").TryGetProperty("idleWindow", out _));
    }

    [Fact]
    public void WritesStatusEnumsAsCamelCaseStrings()
    {
        var status = new EnvironmentStatus
        {
            Subdomain = "ab",
            State = LifecycleState.Relaunching,
            Conditions = [new Condition(ConditionTypes.Ready, ConditionStatus.False, "TaskStopped", "essential container exited", Epoch, 3)],
        };

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(status, ModelJsonContext.Default.EnvironmentStatus));

        Assert.Equal("relaunching", json.RootElement.GetProperty("state").GetString());
        var condition = json.RootElement.GetProperty("conditions")[0];
        Assert.Equal("false", condition.GetProperty("status").GetString());
        Assert.Equal(3, condition.GetProperty("observedRevision").GetInt64());
    }

    [Fact]
    public void RefusesAnUnknownEnumValue()
    {
        const string Json = """{"subdomain":"ab","taskDefinitions":["a"],"desired":"paused"}""";
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(Json, ModelJsonContext.Default.EnvironmentIntent));
    }

    [Property(MaxTest = 1000)]
    public Property IntentsRoundTrip()
    {
        return Prop.ForAll(Arb.From(Intents()), intent =>
        {
            var json = JsonSerializer.Serialize(intent, ModelJsonContext.Default.EnvironmentIntent);
            var back = JsonSerializer.Deserialize(json, ModelJsonContext.Default.EnvironmentIntent);
            AssertSame(intent, back!);
        });
    }

    [Property(MaxTest = 200)]
    public Property IntentListsRoundTrip()
    {
        return Prop.ForAll(Arb.From(Gen.ListOf(Intents(), 4)), intents =>
        {
            var list = intents.ToList();
            var json = JsonSerializer.Serialize(list, ModelJsonContext.Default.ListEnvironmentIntent);
            var back = JsonSerializer.Deserialize(json, ModelJsonContext.Default.IReadOnlyListEnvironmentIntent)!;
            Assert.Equal(list.Count, back.Count);
            foreach (var (expected, actual) in list.Zip(back))
            {
                AssertSame(expected, actual);
            }
        });
    }

    [Property(MaxTest = 1000)]
    public Property StatusesRoundTrip()
    {
        return Prop.ForAll(Arb.From(Gen.ListOf(Statuses(), 3)), statuses =>
        {
            var list = statuses.ToList();
            var json = JsonSerializer.Serialize(list, ModelJsonContext.Default.ListEnvironmentStatus);
            var back = JsonSerializer.Deserialize(json, ModelJsonContext.Default.ListEnvironmentStatus)!;
            Assert.Equal(list.Count, back.Count);
            foreach (var (expected, actual) in list.Zip(back))
            {
                AssertSame(expected, actual);
            }
        });
    }

    // Any text JSON can carry: well-formed UTF-16 (a lone surrogate cannot be written as UTF-8 at all).
    private static Gen<string> Text() =>
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null && WellFormedText.IsWellFormed(s));

    private static Gen<DateTimeOffset> Instants() =>
        from seconds in Gen.Choose(-1_000_000_000, 1_000_000_000)
        from ticks in Gen.Choose(0, 9_999_999)
        from offsetMinutes in Gen.Choose(-14 * 60, 14 * 60)
        select Epoch.AddSeconds(seconds).AddTicks(ticks).ToOffset(TimeSpan.FromMinutes(offsetMinutes));

    private static Gen<TimeSpan?> Durations() =>
        Gen.OneOf(
            Gen.Constant<TimeSpan?>(null),
            Gen.Choose(int.MinValue, int.MaxValue).Zip(Gen.Choose(0, 9_999_999))
                .Select(t => (TimeSpan?)TimeSpan.FromTicks(((long)t.Item1 * 10_000_000) + t.Item2)));

    private static Gen<T> Enum<T>() where T : struct, Enum => Gen.Elements(System.Enum.GetValues<T>());

    private static Gen<EnvironmentIntent> Intents() =>
        from subdomain in Text()
        from taskDefinitions in Gen.ListOf(Text(), 3)
        from parameters in Gen.ListOf(Text().Zip(Text()), 4)
        from source in Enum<IntentSource>()
        from owner in Gen.OneOf(Gen.Constant<string?>(null), Text().Select(s => (string?)s))
        from desired in Enum<DesiredState>()
        from revision in Gen.Choose(1, int.MaxValue).Select(r => (long)r * 3)
        from keep in Gen.Elements(true, false)
        from ttl in Durations()
        from idle in Durations()
        from createdAt in Instants()
        from updatedAt in Instants()
        from launchedAt in Gen.OneOf(Gen.Constant<DateTimeOffset?>(null), Instants().Select(i => (DateTimeOffset?)i))
        select new EnvironmentIntent
        {
            Subdomain = subdomain,
            TaskDefinitions = [.. taskDefinitions],
            Parameters = parameters.DistinctBy(p => p.Item1).ToDictionary(p => p.Item1, p => p.Item2),
            Source = source,
            Owner = owner,
            Desired = desired,
            Revision = revision,
            Policy = new LifecyclePolicy(keep, ttl, idle),
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
            LaunchedAt = launchedAt,
        };

    private static Gen<Condition> Conditions() =>
        from type in Gen.Elements(ConditionTypes.Ready, ConditionTypes.TaskRunning, ConditionTypes.Idle)
        from status in Enum<ConditionStatus>()
        from reason in Text()
        from message in Text()
        from at in Instants()
        from revision in Gen.Choose(0, int.MaxValue)
        select new Condition(type, status, reason, message, at, revision);

    private static Gen<EnvironmentStatus> Statuses() =>
        from subdomain in Text()
        from observed in Gen.Choose(0, int.MaxValue)
        from state in Enum<LifecycleState>()
        from conditions in Gen.ListOf(Conditions(), 3)
        from tasks in Gen.ListOf(Text(), 3)
        from events in Gen.ListOf(Instants().Zip(Text()).Select(e => new EnvironmentEvent(e.Item1, "Launched", e.Item2)), 3)
        from restarts in Gen.Choose(0, 100)
        select new EnvironmentStatus
        {
            Subdomain = subdomain,
            ObservedRevision = observed,
            State = state,
            Conditions = [.. conditions],
            Tasks = [.. tasks],
            Events = [.. events],
            Restarts = restarts,
        };

    private static void AssertSame(EnvironmentIntent expected, EnvironmentIntent actual)
    {
        Assert.Equal(expected.Subdomain, actual.Subdomain);
        Assert.Equal(expected.TaskDefinitions, actual.TaskDefinitions);
        Assert.Equal(
            expected.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal),
            actual.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected.Owner, actual.Owner);
        Assert.Equal(expected.Desired, actual.Desired);
        Assert.Equal(expected.Revision, actual.Revision);
        Assert.Equal(expected.Policy, actual.Policy);
        AssertSameInstant(expected.CreatedAt, actual.CreatedAt);
        AssertSameInstant(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.LaunchedAt is null, actual.LaunchedAt is null);
        if (expected.LaunchedAt is { } launchedAt)
        {
            AssertSameInstant(launchedAt, actual.LaunchedAt!.Value);
        }
    }

    private static void AssertSame(EnvironmentStatus expected, EnvironmentStatus actual)
    {
        Assert.Equal(expected.Subdomain, actual.Subdomain);
        Assert.Equal(expected.ObservedRevision, actual.ObservedRevision);
        Assert.Equal(expected.State, actual.State);
        Assert.Equal(expected.Conditions, actual.Conditions);
        Assert.Equal(expected.Conditions.Select(c => c.LastTransitionTime.Offset), actual.Conditions.Select(c => c.LastTransitionTime.Offset));
        Assert.Equal(expected.Tasks, actual.Tasks);
        Assert.Equal(expected.Events, actual.Events);
        Assert.Equal(expected.Events.Select(e => e.At.Offset), actual.Events.Select(e => e.At.Offset));
        Assert.Equal(expected.Restarts, actual.Restarts);
    }

    // DateTimeOffset equality ignores the offset; the stored offset must survive too.
    private static void AssertSameInstant(DateTimeOffset expected, DateTimeOffset actual)
    {
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Offset, actual.Offset);
    }
}
