using Mirage.LocalEcs.Credentials;
using Mirage.LocalEcs.TaskDefinitions;
using Mirage.LocalEcs.Tasks;
using Mirage.Model.Backend;

namespace Mirage.LocalEcs.Tests.Hardening;

/// <summary>Which credentials a task's token may be given, and how tokens are compared.</summary>
public sealed class TaskCredentialsRulesTests
{
    private const string Role = "arn:aws:iam::123456789012:role/team/preview-app";

    [Fact]
    public void A_task_with_a_role_gets_that_role_by_name_or_ARN_and_neither_another_role_nor_the_base_identity()
    {
        var task = Task(Role);

        Assert.Equal(new CredentialsGrant(Role, null), CredentialsGrant.ForRoleArn(task, Role));
        Assert.Equal(new CredentialsGrant(Role, null), CredentialsGrant.ForRoleName(task, "preview-app"));
        Assert.NotNull(CredentialsGrant.ForRoleArn(task, "arn:aws:iam::123456789012:role/admin").Refusal);
        Assert.NotNull(CredentialsGrant.ForRoleArn(task, "arn:aws:iam::999999999999:role/team/preview-app").Refusal);
        Assert.NotNull(CredentialsGrant.ForRoleName(task, "admin").Refusal);
        Assert.Contains("base identity is only for tasks without a role", CredentialsGrant.ForBase(task).Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_without_a_role_gets_the_base_identity_and_no_role()
    {
        var task = Task(null);

        Assert.Equal(new CredentialsGrant(null, null), CredentialsGrant.ForBase(task));
        Assert.Contains("it has no task role", CredentialsGrant.ForRoleName(task, "preview-app").Refusal, StringComparison.Ordinal);
        Assert.NotNull(CredentialsGrant.ForRoleArn(task, Role).Refusal);
    }

    [Fact]
    public void A_token_finds_only_the_task_it_was_made_for()
    {
        var first = Task(null) with { TaskId = "first", AuthorizationTokenHash = AuthorizationToken.Hash("token-of-first-task") };
        var second = Task(Role) with { TaskId = "second", AuthorizationTokenHash = AuthorizationToken.Hash("token-of-second-task") };

        Assert.Same(second, AuthorizationToken.FindOwner("token-of-second-task", [first, second], t => t.AuthorizationTokenHash));
        Assert.Null(AuthorizationToken.FindOwner("token-of-second-tas", [first, second], t => t.AuthorizationTokenHash));
        Assert.Null(AuthorizationToken.FindOwner("TOKEN-OF-SECOND-TASK", [first, second], t => t.AuthorizationTokenHash));
        Assert.True(AuthorizationToken.Matches("token-of-first-task", first.AuthorizationTokenHash));
    }

    private static LocalTaskSnapshot Task(string? roleArn) => new()
    {
        Arn = "arn:aws:ecs:us-east-1:123456789012:task/mirage-local/0123",
        TaskId = "0123",
        Definition = new LocalTaskDefinition
        {
            Arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1",
            Family = "app",
            Revision = 1,
            SourceFile = "/tmp/app.json",
            TaskRoleArn = roleArn,
            Containers = [],
        },
        ClientToken = "client",
        StartedBy = "test",
        Tags = [],
        LastStatus = EcsTaskStatus.Running,
        DesiredStatus = EcsTaskStatus.Running,
        CreatedAt = DateTimeOffset.UnixEpoch,
        AuthorizationTokenHash = AuthorizationToken.Hash("token"),
        Containers = [],
    };
}
