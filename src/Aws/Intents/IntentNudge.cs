namespace Mirage.Aws.Intents;

/// <summary>The nudge object's content: which replica wrote which intent, and when (for a person reading the bucket).</summary>
public sealed record IntentNudge(string Replica, string Subdomain, DateTimeOffset WrittenAt);
