namespace Mirage.LocalEcs.Credentials;

/// <summary>STS (or the base credential chain) could not give credentials; the message carries the AWS error, never a secret.</summary>
public sealed class CredentialsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
