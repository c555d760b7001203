namespace Mirage.Aws.Transport;

/// <summary>Either what an earlier attempt already produced, or the response of this one.</summary>
public sealed record AttemptOutcome<TExisting>(TExisting? Existing, AwsHttpResponse? Response)
    where TExisting : class;
