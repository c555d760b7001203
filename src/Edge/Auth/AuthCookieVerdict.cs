namespace Mirage.Edge.Auth;

/// <summary>Outcome of checking a <c>mirage-ecs-auth</c> cookie; everything but <see cref="Valid"/> means 403.</summary>
public enum AuthCookieVerdict
{
    Valid,
    Missing,
    Malformed,
    WrongAlgorithm,
    BadSignature,
    Expired,
    NoSecret,
}
