using System.Text.Json;
using Mirage.Api.MirageEcsApi;

namespace Mirage.Api.Environments;

/// <summary>Reads a launch from a request body, the same way for <c>/api/launch</c> and the web UI's <c>/launch</c>.</summary>
public static class LaunchCommandReader
{
    // Fields of the request itself; every other field of a form (or the query string) is a parameter, as in mirage-ecs.
    private static readonly string[] RequestFields = ["subdomain", "branch", "taskdef", "parameters", "wait", "wait_timeout", "sleep_after"];

    /// <summary>The launch, or an error naming the first field of the wrong type.</summary>
    public static (LaunchCommand? Command, string? Error) Read(RequestBody body)
    {
        if (body.CheckTypes(
                ("subdomain", JsonValueKind.String, "a string"),
                ("branch", JsonValueKind.String, "a string"),
                ("taskdef", JsonValueKind.Array, "an array of task definition names"),
                ("parameters", JsonValueKind.Object, "an object of string values"),
                ("wait", JsonValueKind.True, "true or false"),
                ("wait_timeout", JsonValueKind.Number, "a number of seconds"),
                ("sleep_after", JsonValueKind.String, "a duration such as \"30m\", or \"0\" for never")) is { } typeError)
        {
            return (null, typeError);
        }
        // JSON sends extra parameters in "parameters"; forms (and the query string) send them as fields of their own.
        var parameters = new Dictionary<string, string>(body.Others(RequestFields), StringComparer.Ordinal);
        foreach (var (name, value) in body.GetObject("parameters"))
        {
            parameters[name] = value;
        }
        var sleepAfter = body.Get("sleep_after");
        return (new LaunchCommand(body.Get("subdomain"), body.GetAll("taskdef"), body.Get("branch"), parameters,
            sleepAfter.Length > 0 ? sleepAfter : null), null);
    }
}
