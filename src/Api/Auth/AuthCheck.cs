namespace Mirage.Api.Auth;

/// <summary>The outcome of one authentication method: matched, or why not (for the log; never holds a secret).</summary>
public readonly record struct AuthCheck(bool Matched, string Reason)
{
    public static AuthCheck Success { get; } = new(true, "");

    public static AuthCheck Failed(string reason) => new(false, reason);
}
