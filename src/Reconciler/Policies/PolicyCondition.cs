namespace Mirage.Reconciler.Policies;

/// <summary>A status condition a policy asks for (the reconciler stamps revision and transition time).</summary>
public sealed record PolicyCondition(string Type, bool IsTrue, string Reason, string Message);
