namespace Mirage.TestKit.Aws;

/// <summary>What the fault proxy answers instead of moto.</summary>
public enum FaultKind
{
    /// <summary>400 ThrottlingException (JSON) / Throttling (XML), not forwarded.</summary>
    Throttle,

    /// <summary>500 InternalFailure, not forwarded.</summary>
    ServerError,

    /// <summary>Forwarded (so the call takes effect), then answered with 500: a lost response.</summary>
    ForwardThenServerError,

    /// <summary>400 ClientException, a plain client error.</summary>
    ClientError,

    /// <summary>412 PreconditionFailed in S3's XML error shape, not forwarded.</summary>
    PreconditionFailed,
}
