using System.Text.Json;
using Microsoft.Extensions.Options;
using Mirage.LocalEcs.Runtimes;
using Mirage.Model.Backend;
using Mirage.Model.Configuration;

namespace Mirage.LocalEcs.TaskDefinitions;

/// <summary>
/// The task definitions in <see cref="LocalEcsOptions.TaskDefinitionsFolder"/>: every <c>*.json</c> file holds one
/// definition (the register-task-definition input, or describe-task-definition output with its
/// <c>taskDefinition</c> wrapper). Its revision is the optional <c>"revision"</c> key, else 1. The folder is read
/// again on every lookup, so edits apply to the next launch without a restart.
/// </summary>
public sealed class TaskDefinitionCatalog(IOptions<LocalEcsOptions> options, LocalRuntimeChoice runtime)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly LocalEcsOptions _options = options.Value;

    /// <summary>Resolves a family (its highest revision), <c>family:revision</c> or a task definition ARN.</summary>
    public LocalTaskDefinition Resolve(string taskDefinition)
    {
        ArgumentNullException.ThrowIfNull(taskDefinition);
        var name = taskDefinition.Trim();
        var slash = name.LastIndexOf('/');
        if (name.StartsWith("arn:", StringComparison.Ordinal))
        {
            if (!name.Contains(":task-definition/", StringComparison.Ordinal) || slash < 0)
            {
                throw new TaskDefinitionNotFoundException(taskDefinition, "an ARN must look like arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION");
            }
            name = name[(slash + 1)..];
        }
        string family = name;
        int? revision = null;
        var colon = name.LastIndexOf(':');
        if (colon >= 0)
        {
            family = name[..colon];
            if (!int.TryParse(name[(colon + 1)..], out var parsed) || parsed < 1)
            {
                throw new TaskDefinitionNotFoundException(taskDefinition, "the revision after ':' must be a positive number");
            }
            revision = parsed;
        }
        var (definitions, errors) = LoadAll();
        var candidates = definitions.Where(d => d.Family == family).ToList();
        var match = revision is { } r
            ? candidates.FirstOrDefault(d => d.Revision == r)
            : candidates.OrderByDescending(d => d.Revision).FirstOrDefault();
        if (match is not null)
        {
            return match;
        }
        var known = definitions.Count == 0
            ? $"the folder {Path.GetFullPath(_options.TaskDefinitionsFolder)} has no valid task definition"
            : "known: " + string.Join(", ", definitions.Select(d => $"{d.Family}:{d.Revision}").Order(StringComparer.Ordinal));
        var problems = errors.Count == 0 ? "" : "; files with errors: " + string.Join("; ", errors);
        throw new TaskDefinitionNotFoundException(taskDefinition, known + problems);
    }

    /// <summary>Every valid definition, plus one message per file that could not be used.</summary>
    public (IReadOnlyList<LocalTaskDefinition> Definitions, IReadOnlyList<string> Errors) LoadAll()
    {
        var definitions = new List<LocalTaskDefinition>();
        var errors = new List<string>();
        if (!Directory.Exists(_options.TaskDefinitionsFolder))
        {
            errors.Add($"folder {Path.GetFullPath(_options.TaskDefinitionsFolder)} does not exist");
            return (definitions, errors);
        }
        foreach (var file in Directory.EnumerateFiles(_options.TaskDefinitionsFolder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var definition = Parse(file, BoundedText.ReadFile(file));
                var duplicate = definitions.FirstOrDefault(d => d.Family == definition.Family && d.Revision == definition.Revision);
                if (duplicate is not null)
                {
                    errors.Add($"{Path.GetFileName(file)}: {definition.Family}:{definition.Revision} is also defined in {Path.GetFileName(duplicate.SourceFile)}; give one of them another \"revision\"");
                    continue;
                }
                definitions.Add(definition);
            }
            catch (InvalidTaskDefinitionException ex)
            {
                errors.Add($"{Path.GetFileName(file)}: {ex.Message}");
            }
            catch (JsonException ex)
            {
                errors.Add($"{Path.GetFileName(file)}: not valid JSON ({ex.Message})");
            }
            catch (FileTooLargeException)
            {
                errors.Add($"{Path.GetFileName(file)}: {FileTooLargeException.TooLarge}");
            }
            catch (IOException ex)
            {
                errors.Add($"{Path.GetFileName(file)}: cannot be read ({ex.Message})");
            }
        }
        return (definitions, errors);
    }

    internal LocalTaskDefinition Parse(string sourceFile, string json)
    {
        using var parsed = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = parsed.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidTaskDefinitionException("the file must hold one JSON object (a task definition)");
        }
        if (root.TryGetProperty("taskDefinition", out var wrapped) && wrapped.ValueKind == JsonValueKind.Object)
        {
            root = wrapped;
        }
        var document = root.Deserialize<TaskDefinitionDocument>(Json)
            ?? throw new InvalidTaskDefinitionException("the file is empty");
        return Validate(sourceFile, document);
    }

    private LocalTaskDefinition Validate(string sourceFile, TaskDefinitionDocument document)
    {
        var family = document.Family;
        if (string.IsNullOrEmpty(family) || family.Length > 255 || !family.All(IsNameChar))
        {
            throw new InvalidTaskDefinitionException("\"family\" is required: 1-255 letters, digits, '-' or '_'");
        }
        var revision = document.Revision ?? 1;
        if (revision < 1)
        {
            throw new InvalidTaskDefinitionException("\"revision\" must be 1 or more");
        }
        if (document.ContainerDefinitions is not { Count: > 0 } containers)
        {
            throw new InvalidTaskDefinitionException("\"containerDefinitions\" needs at least one container");
        }
        var imagesOnly = runtime.IsDocker;
        var locals = containers.Select((c, i) => ValidateContainer(c, i, imagesOnly)).ToList();
        var duplicate = locals.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidTaskDefinitionException($"container name '{duplicate.Key}' is used twice");
        }
        if (!locals.Any(c => c.Essential))
        {
            throw new InvalidTaskDefinitionException("at least one container must be essential");
        }
        return new LocalTaskDefinition
        {
            Arn = $"arn:aws:ecs:{_options.Region}:{_options.AccountId}:task-definition/{family}:{revision}",
            Family = family,
            Revision = revision,
            TaskRoleArn = string.IsNullOrWhiteSpace(document.TaskRoleArn) ? null : document.TaskRoleArn.Trim(),
            Cpu = ParseTaskSize(document.Cpu, "cpu"),
            Memory = ParseTaskSize(document.Memory, "memory"),
            Containers = locals,
            SourceFile = Path.GetFullPath(sourceFile),
        };
    }

    private static LocalContainerDefinition ValidateContainer(ContainerDefinitionDocument container, int index, bool imagesOnly)
    {
        var name = container.Name;
        if (string.IsNullOrEmpty(name) || name.Length > 255 || !name.All(IsNameChar))
        {
            throw new InvalidTaskDefinitionException($"containerDefinitions[{index}].name is required: 1-255 letters, digits, '-' or '_'");
        }
        var argv = (container.EntryPoint ?? []).Concat(container.Command ?? []).ToList();
        if (imagesOnly && string.IsNullOrWhiteSpace(container.Image))
        {
            throw new InvalidTaskDefinitionException($"container '{name}' has no image; the docker runtime runs images (or set local.runtime: process)");
        }
        if (!imagesOnly && (argv.Count == 0 || string.IsNullOrWhiteSpace(argv[0])))
        {
            throw new InvalidTaskDefinitionException($"container '{name}' has neither entryPoint nor command; a local process needs the program to run (e.g. \"command\": [\"/usr/bin/python3\", \"-m\", \"http.server\", \"${{PORT}}\"])");
        }
        var environment = new List<Mirage.Model.Backend.EnvironmentVariable>();
        foreach (var variable in container.Environment ?? [])
        {
            if (string.IsNullOrEmpty(variable.Name) || variable.Name.Contains('=', StringComparison.Ordinal))
            {
                throw new InvalidTaskDefinitionException($"container '{name}' has an environment entry without a valid \"name\"");
            }
            environment.Add(new(variable.Name, variable.Value ?? ""));
        }
        var ports = new List<LocalPortMapping>();
        foreach (var mapping in container.PortMappings ?? [])
        {
            if (mapping.ContainerPort is not { } port || port is < 1 or > 65535)
            {
                throw new InvalidTaskDefinitionException($"container '{name}' has a port mapping without a containerPort between 1 and 65535");
            }
            var protocol = (mapping.Protocol ?? "tcp").ToLowerInvariant();
            if (protocol != "tcp")
            {
                throw new InvalidTaskDefinitionException($"container '{name}' port {port}: only tcp port mappings run locally (got '{mapping.Protocol}')");
            }
            if (ports.Any(p => p.ContainerPort == port))
            {
                throw new InvalidTaskDefinitionException($"container '{name}' maps port {port} twice");
            }
            ports.Add(new(port, protocol));
        }
        if (container.StopTimeout is < 0)
        {
            throw new InvalidTaskDefinitionException($"container '{name}' stopTimeout must not be negative");
        }
        LogConfigurationInfo? logConfiguration = container.LogConfiguration is { LogDriver: { Length: > 0 } driver } log
            ? new LogConfigurationInfo(driver, log.Options ?? new Dictionary<string, string>())
            : null;
        return new LocalContainerDefinition
        {
            Name = name,
            Image = container.Image ?? "",
            Essential = container.Essential ?? true,
            Argv = argv,
            EntryPointCount = container.EntryPoint?.Count ?? 0,
            Environment = environment,
            WorkingDirectory = string.IsNullOrWhiteSpace(container.WorkingDirectory) ? null : container.WorkingDirectory,
            PortMappings = ports,
            Cpu = container.Cpu,
            Memory = container.Memory ?? container.MemoryReservation,
            StopTimeout = container.StopTimeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            LogConfiguration = logConfiguration,
            DockerLabels = container.DockerLabels ?? new Dictionary<string, string>(),
        };
    }

    /// <summary>Task-level cpu/memory: a number, or the "1 vCPU" / "2 GB" forms the ECS API accepts.</summary>
    private static int? ParseTaskSize(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = value.Trim();
        if (int.TryParse(text, out var plain))
        {
            return plain;
        }
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2 && double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var amount))
        {
            switch (parts[1].ToUpperInvariant())
            {
                case "VCPU" when what == "cpu":
                    return (int)(amount * 1024);
                case "GB" when what == "memory":
                    return (int)(amount * 1024);
                default:
                    break;
            }
        }
        throw new InvalidTaskDefinitionException($"task {what} '{value}' is not a number (or \"N vCPU\" / \"N GB\")");
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
