using System.Net;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsGen = FsCheck.Fluent.Gen;
using Mirage.TestKit;

namespace Mirage.Api.Tests.MirageEcsApi;

/// <summary>
/// Generated requests to the write endpoints: whatever arrives, the answer is never a 500, and the stored intents
/// change only when the answer is 200.
/// </summary>
public sealed class GeneratedRequestTests : IAsyncLifetime
{
    private readonly string _definitions = Directory.CreateTempSubdirectory("mirage-taskdefs-").FullName;
    private MirageProcess _mirage = null!;
    private HttpClient _client = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // A task that costs nothing to run: valid launches in this test start many of them.
        await File.WriteAllTextAsync(Path.Combine(_definitions, "cheap.json"), """
            { "family": "cheap", "containerDefinitions": [{ "name": "app", "essential": true, "command": ["/bin/sleep", "600"] }] }
            """, Token);
        _mirage = await MirageProcess.StartAsync(new MirageProcessOptions
        {
            TaskDefinitions = _definitions,
            ConfigText = MirageProcess.LocalConfig + """
                parameters:
                  - name: owner
                    env: OWNER
                    rule: "^[a-z]+$"
                """,
        }, Token);
        _client = _mirage.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _mirage.DisposeAsync();
        Directory.Delete(_definitions, recursive: true);
    }

    [Fact]
    public void Any_request_gets_a_client_answer_and_changes_intents_only_when_accepted()
    {
        var accepted = 0;
        var refused = 0;
        Prop.ForAll(Arb.From(GeneratedRequest.Generator), request =>
        {
            var before = Intents();
            using var response = Send(request);
            var body = response.Content.ReadAsStringAsync(Token).GetAwaiter().GetResult();
            var after = Intents();
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                throw new InvalidOperationException($"{request} answered {status}: {body}\n{_mirage.Output}");
            }
            if (status != 200 && after != before)
            {
                throw new InvalidOperationException($"{request} answered {status} ({body}) but intents changed:\n{before}\n→\n{after}");
            }
            if (status is not (200 or 400 or 404 or 409 or 413 or 415))
            {
                throw new InvalidOperationException($"{request} answered an unexpected {status}: {body}");
            }
            if (status != 200 && !body.Contains("result", StringComparison.Ordinal) && !body.Contains("message", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{request} answered {status} without a message: {body}");
            }
            _ = status == 200 ? Interlocked.Increment(ref accepted) : Interlocked.Increment(ref refused);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
        // The generator must exercise both sides, or the property says little.
        Assert.True(accepted >= 20, $"only {accepted} accepted requests");
        Assert.True(refused >= 100, $"only {refused} refused requests");
    }

    private HttpResponseMessage Send(GeneratedRequest generated)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, generated.Path);
        request.Content = new ByteArrayContent(generated.Body);
        if (generated.ContentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", generated.ContentType);
        }
        return _client.SendAsync(request, Token).GetAwaiter().GetResult();
    }

    // Subdomain, revision and desired state of every intent: what a request may change.
    private string Intents()
    {
        var list = _mirage.GetJsonAsync("/api/environments", Token).GetAwaiter().GetResult().GetProperty("result");
        return string.Join("\n", list.EnumerateArray().Select(e =>
        {
            var intent = e.GetProperty("intent");
            return $"{intent.GetProperty("subdomain").GetString()} r{intent.GetProperty("revision").GetInt64()} {intent.GetProperty("desired").GetString()}";
        }));
    }

    private sealed record GeneratedRequest(string Path, string? ContentType, byte[] Body)
    {
        private static readonly string[] Subdomains = ["good", "other", "foo-*", "GOOD", "a", "0abc", "a_b", "x.y", "", new string('a', 64), "café"];
        private static readonly string[] TaskDefinitions = ["cheap", "cheap:1", "missing", "", " "];
        private static readonly string[] Owners = ["alice", "Bob", "", "a1", new string('z', 300)];

        public static Gen<GeneratedRequest> Generator =>
            FsGen.Frequency((3, NearlyValidRequest), (3, JsonRequest), (1, RawRequest));

        // A valid request with at most one field replaced by a generated one: most are accepted, some just refused.
        private static Gen<GeneratedRequest> NearlyValidRequest =>
            from path in FsGen.Elements("/api/launch", "/api/terminate", "/api/purge")
            from subdomain in FsGen.Elements("good", "other", "foo-*")
            from mutation in FsGen.Frequency((2, FsGen.Constant<(string Name, object? Value)?>(null)), (1, Field.Select(f => ((string Name, object? Value)?)f)))
            select new GeneratedRequest(path, "application/json", Encoding.UTF8.GetBytes(ToJson(Valid(path, subdomain, mutation))));

        private static List<(string Name, object? Value)> Valid(string path, string subdomain, (string Name, object? Value)? mutation)
        {
            List<(string Name, object? Value)> fields = path switch
            {
                "/api/launch" => [("subdomain", subdomain), ("branch", "main"), ("taskdef", new[] { "cheap" }), ("parameters", new Dictionary<string, string> { ["owner"] = "alice" })],
                "/api/terminate" => [("subdomain", subdomain)],
                _ => [("duration", 300)],
            };
            if (mutation is { } m)
            {
                fields.RemoveAll(f => f.Name == m.Name);
                fields.Add(m);
            }
            return fields;
        }

        private static Gen<GeneratedRequest> JsonRequest =>
            from path in FsGen.Elements("/api/launch", "/api/terminate", "/api/purge")
            from fields in FsGen.ListOf(Field).Select(f => f.DistinctBy(x => x.Name).ToList())
            from contentType in FsGen.Elements<string?>("application/json", "application/json; charset=utf-8", "text/plain", null)
            select new GeneratedRequest(path, contentType, Encoding.UTF8.GetBytes(ToJson(fields)));

        private static Gen<GeneratedRequest> RawRequest =>
            from path in FsGen.Elements("/api/launch", "/api/terminate", "/api/purge")
            from text in FsGen.Elements("", "{", "[]", "null", "\"x\"", "{\"subdomain\":", "subdomain=good&taskdef=cheap", "\u0000\u0001", "{\"a\":1}{\"b\":2}")
            from contentType in FsGen.Elements<string?>("application/json", "application/x-www-form-urlencoded", "multipart/form-data", null)
            select new GeneratedRequest(path, contentType, Encoding.UTF8.GetBytes(text));

        private static Gen<(string Name, object? Value)> Field =>
            FsGen.OneOf(
                FsGen.Elements(Subdomains).Select(v => ("subdomain", (object?)v)),
                FsGen.Elements("main", "feature/x", "").Select(v => ("branch", (object?)v)),
                FsGen.Elements(TaskDefinitions).ListOf().Select(v => ("taskdef", (object?)v.ToArray())),
                FsGen.Elements(Owners).Select(v => ("parameters", (object?)new Dictionary<string, string> { ["owner"] = v })),
                FsGen.Elements<object?>(300, 299, "600", "x", -1, 1.5, null).Select(v => ("duration", v)),
                FsGen.Elements<object?>("good", "nope", "", 3).Select(v => ("id", v)),
                FsGen.Elements<object?>(7, true, null, new[] { 1 }, new Dictionary<string, int> { ["x"] = 1 }, "s")
                    .SelectMany(v => FsGen.Elements("subdomain", "taskdef", "parameters", "branch", "excludes", "exclude_tags", "wait").Select(n => (n, v))),
                FsGen.Elements<object?>(new[] { "good" }, new[] { "k:v" }, new[] { "novalue" }).Select(v => ("exclude_tags", v)),
                FsGen.Elements<object?>("(", "^good$").Select(v => ("exclude_regexp", v)));

        private static string ToJson(List<(string Name, object? Value)> fields) =>
            JsonSerializer.Serialize(fields.ToDictionary(f => f.Name, f => f.Value));

        public override string ToString() => $"POST {Path} [{ContentType}] {Encoding.UTF8.GetString(Body)}";
    }
}
