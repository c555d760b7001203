namespace Mirage.Edge.Auth;

/// <summary>A freshly signed cookie value and the moment it stops being accepted.</summary>
public sealed record IssuedAuthCookie(string Value, DateTimeOffset ExpiresAt);
