using System.Diagnostics;

namespace Mirage.LocalEcs;

/// <summary>
/// LocalEcs's spans (<c>Mirage.LocalEcs</c> source): the backend calls a reconcile pass makes, named as the AWS calls
/// they stand in for (<c>LocalEcs.RunTask</c>, <c>LocalEcs.StopTask</c>), so a local trace has the same shape as an
/// AWS one. Static, as .NET's activity sources are meant to be (immutable, thread-safe).
/// </summary>
public static class LocalEcsTracing
{
    public const string SourceName = "Mirage.LocalEcs";

    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? Start(string operation)
    {
        var activity = Source.StartActivity($"LocalEcs.{operation}", ActivityKind.Client);
        activity?.SetTag("rpc.system", "mirage-localecs");
        activity?.SetTag("rpc.service", "LocalEcs");
        activity?.SetTag("rpc.method", operation);
        return activity;
    }
}
