namespace Mirage.Api.Auth;

/// <summary>Whether a request may go on: the method that allowed it, or every method's reason for refusing.</summary>
public sealed record AuthDecision(bool Allowed, string Method, IReadOnlyList<string> Refusals)
{
    public static AuthDecision Open { get; } = new(true, "none (auth is not configured)", []);

    public static AuthDecision By(string method) => new(true, method, []);

    public static AuthDecision Refused(IReadOnlyList<string> refusals) => new(false, "", refusals);
}
