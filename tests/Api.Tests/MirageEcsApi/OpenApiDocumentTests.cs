using System.Text.Json;
using System.Text.Json.Nodes;
using Mirage.TestKit;

namespace Mirage.Api.Tests.MirageEcsApi;

public sealed class OpenApiDocumentTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_served_document_is_the_checked_in_specs_openapi_json()
    {
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions(), Token);
        var served = (await mirage.GetJsonAsync("/api/openapi.json", Token)).GetRawText();
        var checkedIn = await File.ReadAllTextAsync(RepositoryRoot.Combine("specs", "openapi.json"), Token);

        var same = JsonNode.DeepEquals(JsonNode.Parse(served), JsonNode.Parse(checkedIn));
        Assert.True(same, "specs/openapi.json differs from what the app serves; after changing the API, replace the file with the served document:\n"
            + JsonSerializer.Serialize(JsonDocument.Parse(served).RootElement, new JsonSerializerOptions { WriteIndented = true }));
        Assert.Contains("/api/launch", served, StringComparison.Ordinal);
    }
}
