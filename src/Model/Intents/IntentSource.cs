namespace Mirage.Model.Intents;

public enum IntentSource
{
    /// <summary>Recorded through <c>/api/launch</c> or the web UI.</summary>
    Api,

    /// <summary>Declared in the desired-environments file; only the file may change it.</summary>
    GitOps,

    /// <summary>Found running with Mirage's tags and no intent (launched by mirage-ecs, or a lost store).</summary>
    Adopted,
}
