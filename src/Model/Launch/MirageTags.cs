namespace Mirage.Model.Launch;

/// <summary>The ECS tag keys and container environment names Mirage writes, mirage-ecs's and its own.</summary>
public static class MirageTags
{
    /// <summary>Tag: base64url (with padding) of the subdomain; tag values cannot hold <c>*</c> and similar.</summary>
    public const string Subdomain = "Subdomain";

    /// <summary>Tag marking a task as launched by mirage-ecs or Mirage; its value is <see cref="ManagedByValue"/>.</summary>
    public const string ManagedBy = "ManagedBy";

    /// <summary>mirage-ecs writes <c>Mirage</c> (its README says <c>mirage-ecs</c>, the code does not).</summary>
    public const string ManagedByValue = "Mirage";

    /// <summary>Mirage's own tag: the intent revision a task was launched for (decimal).</summary>
    public const string Revision = "MirageRevision";

    /// <summary>Mirage's own tag: which of the intent's task definitions (0-based) a task runs.</summary>
    public const string TaskIndex = "MirageTaskIndex";

    /// <summary>Env: the subdomain, raw (base64url of it with <c>-compat-v1</c>).</summary>
    public const string SubdomainEnv = "SUBDOMAIN";

    /// <summary>Env: the subdomain, always raw.</summary>
    public const string SubdomainRawEnv = "SUBDOMAINRAW";
}
