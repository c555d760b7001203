using System.Collections.Concurrent;
using Mirage.Aws.Ecs.Wire;

namespace Mirage.Aws.Ecs;

/// <summary>
/// Task definitions by full ARN with revision and by family:revision. A registered revision never changes, so
/// entries never expire and each revision is described once; a bare family name is always resolved by ECS (a
/// family's latest revision moves), at most once per reconcile pass.
/// </summary>
public sealed class TaskDefinitionCache
{
    private readonly ConcurrentDictionary<string, EcsTaskDefinition> _byArn = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EcsTaskDefinition> _byRevision = new(StringComparer.Ordinal);

    public int Count => _byArn.Count;

    public bool TryGet(string taskDefinition, out EcsTaskDefinition? definition)
    {
        definition = null;
        return IsRevisionArn(taskDefinition)
            ? _byArn.TryGetValue(taskDefinition, out definition)
            : IsFamilyRevision(taskDefinition) && _byRevision.TryGetValue(taskDefinition, out definition);
    }

    public void Add(EcsTaskDefinition definition)
    {
        _byArn[definition.TaskDefinitionArn] = definition;
        _byRevision[$"{definition.Family}:{definition.Revision}"] = definition;
    }

    /// <summary><c>family:revision</c>, without an ARN.</summary>
    public static bool IsFamilyRevision(string taskDefinition)
    {
        var colon = taskDefinition.LastIndexOf(':');
        return colon > 0 && !taskDefinition.Contains('/', StringComparison.Ordinal) && int.TryParse(taskDefinition.AsSpan(colon + 1), out _);
    }

    /// <summary><c>arn:…:task-definition/family:revision</c>.</summary>
    public static bool IsRevisionArn(string taskDefinition)
    {
        if (!taskDefinition.StartsWith("arn:", StringComparison.Ordinal))
        {
            return false;
        }
        var slash = taskDefinition.LastIndexOf('/');
        var colon = taskDefinition.LastIndexOf(':');
        return slash > 0 && colon > slash && int.TryParse(taskDefinition.AsSpan(colon + 1), out _);
    }

    /// <summary>The family of a name, <c>family:rev</c> or ARN.</summary>
    public static string FamilyOf(string taskDefinition)
    {
        var name = taskDefinition[(taskDefinition.LastIndexOf('/') + 1)..];
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? name : name[..colon];
    }
}
