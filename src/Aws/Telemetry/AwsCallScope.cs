using System.Diagnostics;
using Mirage.Aws.Errors;

namespace Mirage.Aws.Telemetry;

/// <summary>One AWS HTTP attempt being measured: its span (when traced) and its start.</summary>
public sealed class AwsCallScope : IDisposable
{
    private readonly AwsCallTelemetry _telemetry;
    private bool _recorded;

    internal AwsCallScope(AwsCallTelemetry telemetry, string service, string operation, Activity? activity, long started)
    {
        _telemetry = telemetry;
        Service = service;
        Operation = operation;
        Activity = activity;
        Started = started;
    }

    internal string Service { get; }
    internal string Operation { get; }
    internal Activity? Activity { get; }
    internal long Started { get; }

    public void Succeeded(int status) => Record(AwsCallOutcome.Success, status);

    public void Failed(Exception exception, CancellationToken cancellationToken) =>
        Record(AwsCallOutcome.Of(exception, cancellationToken), exception switch
        {
            AwsServiceException e => (int)e.StatusCode,
            Amazon.Runtime.AmazonServiceException { StatusCode: not 0 } e => (int)e.StatusCode,
            _ => null,
        });

    public void Dispose() => Activity?.Dispose();

    // One record per attempt, whichever of the two is called first.
    private void Record(string outcome, int? status)
    {
        if (!_recorded)
        {
            _recorded = true;
            _telemetry.Record(this, outcome, status);
        }
    }
}
