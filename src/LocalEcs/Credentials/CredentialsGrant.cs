using Mirage.LocalEcs.Tasks;

namespace Mirage.LocalEcs.Credentials;

/// <summary>
/// What a local task may be vended on the shared credentials routes, as ECS would give it: its own task role, or the
/// base identity when it has none. <see cref="RoleArn"/> null with no <see cref="Refusal"/> means the base identity.
/// </summary>
public sealed record CredentialsGrant(string? RoleArn, string? Refusal)
{
    /// <summary><c>/creds</c>: the base identity, only for a task without a role (it would be more than its role allows).</summary>
    public static CredentialsGrant ForBase(LocalTaskSnapshot task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Definition.TaskRoleArn is { } own
            ? Refuse(task, $"task {task.TaskId} has the task role {own}; the base identity is only for tasks without a role. Ask AWS_CONTAINER_CREDENTIALS_FULL_URI (/creds/{task.TaskId}) or /role-arn/{own}")
            : new CredentialsGrant(null, null);
    }

    /// <summary><c>/role/{name}</c>: the task's own role, named by its last path segment.</summary>
    public static CredentialsGrant ForRoleName(LocalTaskSnapshot task, string roleName)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Definition.TaskRoleArn is { } own && string.Equals(NameOf(own), roleName, StringComparison.Ordinal)
            ? new CredentialsGrant(own, null)
            : Refuse(task, $"role '{roleName}' is not the task role of task {task.TaskId} ({Own(task)}); a task's token yields only its own task role");
    }

    /// <summary><c>/role-arn/{arn}</c>: the task's own role, by its exact ARN.</summary>
    public static CredentialsGrant ForRoleArn(LocalTaskSnapshot task, string roleArn)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Definition.TaskRoleArn is { } own && string.Equals(own, roleArn, StringComparison.Ordinal)
            ? new CredentialsGrant(own, null)
            : Refuse(task, $"'{roleArn}' is not the task role of task {task.TaskId} ({Own(task)}); a task's token yields only its own task role");
    }

    private static CredentialsGrant Refuse(LocalTaskSnapshot task, string message) => new(task.Definition.TaskRoleArn, message);

    private static string Own(LocalTaskSnapshot task) => task.Definition.TaskRoleArn is { } own ? "its role is " + own : "it has no task role: ask /creds";

    private static string NameOf(string roleArn) => roleArn[(roleArn.LastIndexOf('/') + 1)..];
}
