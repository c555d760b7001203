using System.Text.Json.Nodes;
using Mirage.LocalEcs.Standalone;

namespace Mirage.LocalEcs.Tests.Standalone;

public sealed class MetadataOverridesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-overrides-").FullName;

    [Fact]
    public void Objects_merge_key_by_key_while_arrays_and_values_replace()
    {
        var overrides = MetadataOverrides.Load(
            Write("container.json", """{"Labels":{"team":"platform"},"Networks":[{"NetworkMode":"awsvpc","IPv4Addresses":["10.0.0.5"]}],"Image":"app:v2"}"""),
            Write("task.json", """{"AvailabilityZone":"us-east-1a","Limits":{"CPU":0.25}}"""));
        var container = JsonNode.Parse("""{"DockerId":"abc","Image":"app","Labels":{"com.docker.compose.service":"web"},"Networks":[{"NetworkMode":"bridge"},{"NetworkMode":"other"}]}""")!;
        var task = JsonNode.Parse("""{"Family":"shop","Limits":{"Memory":512},"Containers":[{"Name":"web"},{"Name":"worker","Labels":{"x":"y"}}]}""")!;

        var mergedContainer = overrides.Container(container);
        var mergedTask = overrides.Task(task);

        Assert.Equal("""{"DockerId":"abc","Image":"app:v2","Labels":{"com.docker.compose.service":"web","team":"platform"},"Networks":[{"NetworkMode":"awsvpc","IPv4Addresses":["10.0.0.5"]}]}""",
            mergedContainer.ToJsonString());
        Assert.Equal(0.25, mergedTask["Limits"]!["CPU"]!.GetValue<double>());
        Assert.Equal(512, mergedTask["Limits"]!["Memory"]!.GetValue<int>());
        Assert.Equal("us-east-1a", mergedTask["AvailabilityZone"]!.GetValue<string>());
        Assert.All(mergedTask["Containers"]!.AsArray(), c => Assert.Equal("platform", c!["Labels"]!["team"]!.GetValue<string>()));
        Assert.Equal("y", mergedTask["Containers"]![1]!["Labels"]!["x"]!.GetValue<string>());
    }

    [Fact]
    public void Without_files_the_answers_are_unchanged()
    {
        var container = JsonNode.Parse("""{"DockerId":"abc"}""")!;

        Assert.Same(container, MetadataOverrides.Load(null, "").Container(container));
        Assert.Same(container, MetadataOverrides.None.Task(container));
    }

    [Theory]
    [InlineData("[1,2]", "TASK_METADATA_PATH file", "is not a JSON object")]
    [InlineData("{\"Family\":", "TASK_METADATA_PATH file", "is not valid JSON")]
    public void A_bad_file_is_refused_naming_the_variable(string text, string variable, string problem)
    {
        var path = Write("task.json", text);

        var error = Assert.Throws<FormatException>(() => MetadataOverrides.Load(null, path));

        Assert.Contains($"{variable} {path} {problem}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_refused_naming_the_variable()
    {
        var path = Path.Combine(_folder, "nope.json");

        var error = Assert.Throws<FormatException>(() => MetadataOverrides.Load(path, null));

        Assert.StartsWith($"CONTAINER_METADATA_PATH file {path} cannot be read", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
