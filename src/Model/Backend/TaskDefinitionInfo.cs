namespace Mirage.Model.Backend;

/// <summary>The parts of a task definition Mirage uses.</summary>
public sealed record TaskDefinitionInfo(
    string Arn,
    string Family,
    int Revision,
    IReadOnlyList<ContainerDefinitionInfo> Containers)
{
    /// <summary>family:revision, as mirage-ecs shows it.</summary>
    public string ShortName => $"{Family}:{Revision}";
}

public sealed record ContainerDefinitionInfo(
    string Name,
    bool Essential,
    IReadOnlyList<int> ContainerPorts,
    LogConfigurationInfo? LogConfiguration = null);

public sealed record LogConfigurationInfo(string LogDriver, IReadOnlyDictionary<string, string> Options);
