using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Mirage.Model.Backend;
using Mirage.Model.Configuration;
using Mirage.Model.GitOps;
using Mirage.Model.Intents;
using Mirage.Model.Leadership;

namespace Mirage.Reconciler.GitOps;

/// <summary>
/// Applies one version of the desired-environments file: parse, check the task definitions with the backend, plan
/// against the stored intents, save the plan. A version that fails any check changes nothing: the last good one stays
/// applied and the error is reported (log and <see cref="GitOpsState"/>) until a good version arrives.
/// </summary>
public sealed partial class GitOpsSynchronizer(
    IIntentStore store,
    IEcsBackend backend,
    DesiredEnvironmentsParser parser,
    GitOpsState state,
    ILeadership leadership,
    TimeProvider time,
    ILogger<GitOpsSynchronizer> logger)
{
    private const int MaxRounds = 3;

    /// <summary>Applies <paramref name="text"/> (its display name is the owner of the intents); true when it was good.</summary>
    public async Task<bool> SyncAsync(ConfigText text, CancellationToken cancellationToken)
    {
        var owner = text.DisplayName;
        var checkedAt = time.GetUtcNow();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.Text)));
        DesiredEnvironmentsFile file;
        try
        {
            file = parser.Parse(text);
            await CheckTaskDefinitionsAsync(owner, file, cancellationToken);
        }
        catch (ConfigException e)
        {
            ReportError(owner, checkedAt, e.Message);
            return false;
        }

        var plan = await ApplyAsync(file, owner, cancellationToken);
        var before = state.Current;
        foreach (var conflict in plan.Conflicts.Where(c => !before.Conflicts.Contains(c)))
        {
            LogConflict(conflict.Message);
        }
        if (before.Error is not null && before.File == owner)
        {
            LogRecovered(owner);
        }
        state.Set(new GitOpsStatus(owner, checkedAt, hash, before.AppliedHash == hash && before.File == owner ? before.AppliedAt : checkedAt,
            [.. file.Environments.Select(e => e.Subdomain).Order(StringComparer.Ordinal)], null, null, plan.Conflicts));
        return true;
    }

    /// <summary>The file could not be read at all: keep the last good state and say why.</summary>
    public void ReportError(string owner, DateTimeOffset checkedAt, string message)
    {
        var before = state.Current;
        if (before.Error != message)
        {
            LogRefused(message);
        }
        state.Set(before with
        {
            File = owner,
            LastCheckedAt = checkedAt,
            Error = message,
            ErrorSince = before.Error is null ? checkedAt : before.ErrorSince,
        });
    }

    private async Task<GitOpsPlan> ApplyAsync(DesiredEnvironmentsFile file, string owner, CancellationToken cancellationToken)
    {
        for (var round = 1; ; round++)
        {
            var plan = GitOpsPlan.Create(file.Environments, owner, await store.ListAsync(cancellationToken), time.GetUtcNow());
            var raced = false;
            foreach (var change in plan.Changes)
            {
                try
                {
                    leadership.EnsureLeading($"apply {change.Kind} of {change.Intent.Subdomain} from {owner}");
                    // A revision the file asks for never continues the trace of an earlier one (EnvironmentIntent.TraceParent).
                    await store.SaveAsync(change.Intent with { TraceParent = null }, change.ExpectedRevision, cancellationToken);
                    LogApplied(change.Kind, change.Intent.Subdomain, owner);
                }
                catch (IntentConflictException) when (round < MaxRounds)
                {
                    // Someone wrote the intent meanwhile (an API call, the reconciler): plan again from what is stored.
                    raced = true;
                }
            }
            if (!raced)
            {
                return plan;
            }
        }
    }

    private async Task CheckTaskDefinitionsAsync(string owner, DesiredEnvironmentsFile file, CancellationToken cancellationToken)
    {
        var checkedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in file.Environments)
        {
            foreach (var taskDefinition in entry.TaskDefinitions.Where(checkedNames.Add))
            {
                try
                {
                    await backend.DescribeTaskDefinitionAsync(taskDefinition, cancellationToken);
                }
                catch (TaskDefinitionNotFoundException e)
                {
                    throw new ConfigException(owner, entry.Line, null,
                        $"environment {entry.Subdomain}: {e.Message}; register the task definition or fix the name in taskdef");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new ConfigException(owner, entry.Line, null,
                        $"environment {entry.Subdomain}: cannot check task definition {taskDefinition} ({e.Message}); the file is applied once the backend answers");
                }
            }
        }
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "gitops: {Kind} {Subdomain} from {File}")]
    private partial void LogApplied(GitOpsChangeKind kind, string subdomain, string file);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Error, Message = "gitops: the desired-environments file is refused, the last good version stays applied: {Message}")]
    private partial void LogRefused(string message);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "gitops: {Message}")]
    private partial void LogConflict(string message);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Information, Message = "gitops: {File} is good again and applied")]
    private partial void LogRecovered(string file);
}
