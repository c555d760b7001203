namespace Mirage.TestKit.Aws;

/// <summary>A request the fault proxy answered.</summary>
/// <param name="At">When the proxy received the request.</param>
/// <param name="Operation">The JSON target's or query's action (RunTask, PutMetricData), else "METHOD /path".</param>
/// <param name="Call">Service and operation as an AWS bill names them: "ECS RunTask", "S3 GetObject" ("S3 GetObject 304" when answered 304), "CloudWatch PutMetricData".</param>
public sealed record RecordedRequest(string Method, string PathAndQuery, string? Operation, IReadOnlyDictionary<string, string> Headers, int Status, DateTimeOffset At = default, string Call = "other");
