using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mirage.Aws.Telemetry;

/// <summary>
/// Every AWS HTTP attempt, from our typed clients (<c>AwsServiceCaller</c>) and the AWSSDK ones (S3, DynamoDB, SQS,
/// through <see cref="AwsSdkTelemetryHandler"/>): a client span on the <c>Mirage.Aws</c> activity source named as
/// OpenTelemetry's AWS SDK conventions do (<c>S3.PutObject</c>, with <c>rpc.system</c>, <c>rpc.service</c>,
/// <c>rpc.method</c>, <c>http.response.status_code</c>), and on the <c>Mirage.Aws</c> meter a counter and a duration
/// histogram labelled <c>service</c>, <c>operation</c>, <c>outcome</c>. Nothing of the request or its credentials is
/// recorded.
/// </summary>
public sealed class AwsCallTelemetry : IDisposable
{
    public const string SourceName = "Mirage.Aws";
    public const string MeterName = "Mirage.Aws";

    private readonly ActivitySource _source = new(SourceName);
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;
    private readonly TimeProvider _time;

    public AwsCallTelemetry(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(MeterName);
        _calls = meter.CreateCounter<long>("mirage.aws.calls", unit: "{call}",
            description: "AWS HTTP attempts by service, operation and outcome (success, throttled, client_error, server_error, network_error, timeout, cancelled)");
        _duration = meter.CreateHistogram<double>("mirage.aws.call.duration", unit: "s",
            description: "How long one AWS HTTP attempt took, by service, operation and outcome");
    }

    /// <summary>Starts measuring one attempt; dispose the scope after calling <see cref="AwsCallScope.Succeeded"/> or <see cref="AwsCallScope.Failed"/>.</summary>
    public AwsCallScope Start(string service, string operation)
    {
        var activity = _source.StartActivity($"{service}.{operation}", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("rpc.system", "aws-api");
            activity.SetTag("rpc.service", service);
            activity.SetTag("rpc.method", operation);
        }
        return new AwsCallScope(this, service, operation, activity, _time.GetTimestamp());
    }

    internal void Record(AwsCallScope scope, string outcome, int? status)
    {
        var tags = new TagList
        {
            { "service", scope.Service },
            { "operation", scope.Operation },
            { "outcome", outcome },
        };
        _calls.Add(1, tags);
        _duration.Record(_time.GetElapsedTime(scope.Started).TotalSeconds, tags);
        if (scope.Activity is { } activity)
        {
            if (status is { } code)
            {
                activity.SetTag("http.response.status_code", code);
            }
            activity.SetTag("mirage.aws.outcome", outcome);
            if (outcome != AwsCallOutcome.Success)
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }
    }

    public void Dispose() => _source.Dispose();
}
