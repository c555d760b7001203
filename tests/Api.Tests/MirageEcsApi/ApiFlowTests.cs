using System.Net;
using System.Text.Json;
using Mirage.TestKit;

namespace Mirage.Api.Tests.MirageEcsApi;

/// <summary>
/// mirage-ecs's own API test flow (e2e_test.go: list empty → launch → list → access → purge → terminate → list empty,
/// then a form launch), in its three variants, against a real mirage process with a required parameter env/ENV.
/// </summary>
public sealed class ApiFlowTests
{
    private const string RequiredParameter = """
        parameters:
          - name: env
            env: ENV
            required: true
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task The_mirage_ecs_flow_passes(bool compatV1, bool sendForms)
    {
        var options = new MirageProcessOptions
        {
            ConfigText = MirageProcess.LocalConfig + RequiredParameter,
            Arguments = compatV1 ? ["--local", "--compat-v1"] : ["--local"],
        };
        await using var mirage = await MirageProcess.StartAsync(options, Token);

        Assert.Empty(await ListAsync(mirage));

        using (var launch = await PostAsync(mirage, "/api/launch", sendForms,
                   [("subdomain", "mytest"), ("branch", "feature/flow"), ("taskdef", "demo"), ("env", "test")]))
        {
            Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
            Assert.Equal("""{"result":"ok"}""", await launch.Content.ReadAsStringAsync(Token));
        }

        var rows = await ListAsync(mirage);
        var row = Assert.Single(rows);
        Assert.Equal("mytest", row.GetProperty("subdomain").GetString());
        Assert.Equal("feature/flow", row.GetProperty("branch").GetString());
        Assert.StartsWith("demo", row.GetProperty("taskdef").GetString(), StringComparison.Ordinal);

        var access = await mirage.GetJsonAsync("/api/access?subdomain=mytest&duration=300", Token);
        Assert.Equal("ok", access.GetProperty("result").GetString());
        Assert.Equal(300, access.GetProperty("duration").GetInt64());
        Assert.Equal(0, access.GetProperty("sum").GetInt64());

        using (var purge = await PostAsync(mirage, "/api/purge", sendForms, [("duration", "300")]))
        {
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
            Assert.Equal("""{"result":"accepted"}""", await purge.Content.ReadAsStringAsync(Token));
        }

        using (var terminate = await PostAsync(mirage, "/api/terminate", sendForms, [("subdomain", "mytest")]))
        {
            Assert.Equal(HttpStatusCode.OK, terminate.StatusCode);
            Assert.Equal("""{"result":"ok"}""", await terminate.Content.ReadAsStringAsync(Token));
        }
        Assert.Empty(await ListAsync(mirage));

        // A form launch is refused in v2 and accepted with -compat-v1.
        using var formLaunch = await PostAsync(mirage, "/api/launch", sendForm: true,
            [("subdomain", "mytest2"), ("branch", "b"), ("taskdef", "demo"), ("env", "test")]);
        Assert.Equal(compatV1 ? HttpStatusCode.OK : HttpStatusCode.BadRequest, formLaunch.StatusCode);
    }

    [Fact]
    public async Task Compat_v1_passes_the_subdomain_base64_encoded_to_the_task()
    {
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions { Arguments = ["--local", "--compat-v1"] }, Token);
        using var launch = await PostAsync(mirage, "/api/launch", sendForm: false,
            [("subdomain", "encoded"), ("branch", "main"), ("taskdef", "demo"), ("wait", "true")]);
        Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
        var env = Assert.Single(await ListAsync(mirage)).GetProperty("env");
        Assert.Equal("ZW5jb2RlZA==", env.GetProperty("SUBDOMAIN").GetString());
        Assert.Equal("encoded", env.GetProperty("SUBDOMAINRAW").GetString());
    }

    [Fact]
    public async Task Terminate_by_a_task_id_ends_its_whole_environment_and_an_unknown_id_is_a_404()
    {
        await using var mirage = await MirageProcess.StartAsync(new MirageProcessOptions { Arguments = ["--local"] }, Token);
        using (var launch = await PostAsync(mirage, "/api/launch", sendForm: false,
                   [("subdomain", "byid"), ("branch", "main"), ("taskdef", "demo"), ("wait", "true")]))
        {
            Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
        }
        var shortId = Assert.Single(await ListAsync(mirage)).GetProperty("short_id").GetString()!;

        using (var unknown = await PostAsync(mirage, "/api/terminate", sendForm: false, [("id", "0123456789abcdef")]))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal("""{"result":"task 0123456789abcdef is not found"}""", await unknown.Content.ReadAsStringAsync(Token));
        }
        using (var terminate = await PostAsync(mirage, "/api/terminate", sendForm: false, [("id", shortId)]))
        {
            Assert.Equal(HttpStatusCode.OK, terminate.StatusCode);
        }

        // The row goes at once (mirage-ecs keeps it until the next sync); the environment is terminated, not restarted.
        Assert.Empty(await ListAsync(mirage));
        var environment = await Eventually.ReadAsync(
            () => mirage.GetJsonAsync("/api/environments/byid", Token),
            e => e.GetProperty("status").GetProperty("state").GetString() == "terminated",
            TimeSpan.FromSeconds(30), e => $"environment byid: {e}\n{mirage.Output}", Token);
        Assert.Equal("terminated", environment.GetProperty("status").GetProperty("state").GetString());
    }

    private static async Task<List<JsonElement>> ListAsync(MirageProcess mirage) =>
        [.. (await mirage.GetJsonAsync("/api/list", Token)).GetProperty("result").EnumerateArray()];

    private static async Task<HttpResponseMessage> PostAsync(MirageProcess mirage, string path, bool sendForm, (string Name, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (sendForm)
        {
            request.Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
        }
        else
        {
            var json = new Dictionary<string, object>();
            var parameters = new Dictionary<string, string>();
            foreach (var (name, value) in fields)
            {
                switch (name)
                {
                    case "taskdef":
                        json[name] = new[] { value };
                        break;
                    case "subdomain" or "branch" or "id":
                        json[name] = value;
                        break;
                    case "duration":
                        json[name] = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                        break;
                    case "wait":
                        json[name] = value == "true";
                        break;
                    default:
                        parameters[name] = value;
                        break;
                }
            }
            if (parameters.Count > 0)
            {
                json["parameters"] = parameters;
            }
            request.Content = System.Net.Http.Json.JsonContent.Create(json);
        }
        using var client = mirage.CreateClient();
        return await client.SendAsync(request, Token);
    }
}
