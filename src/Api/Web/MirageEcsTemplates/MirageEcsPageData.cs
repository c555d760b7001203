using Mirage.Api.MirageEcsApi;
using Mirage.Api.Web.Pages;
using Mirage.GoTemplates.Values;
using Mirage.Model.Configuration;
using Mirage.Reconciler.Reconciling;

namespace Mirage.Api.Web.MirageEcsTemplates;

/// <summary>
/// The data mirage-ecs's handlers pass its templates (webapi.go): maps with <c>Version</c> injected; <c>info</c> is
/// a list of Information structs — the running tasks (sorted by subdomain, none of an environment being terminated)
/// followed by one stopped task per subdomain, the oldest, as mirage-ecs keeps it.
/// </summary>
public sealed class MirageEcsPageData(TaskRows rows, ObservedTasks observedTasks, LauncherPageBuilder launcher, MirageConfig config)
{
    public static Dictionary<string, object?> Layout() => new(StringComparer.Ordinal) { ["Version"] = WebResponses.ShortVersion };

    public async Task<Dictionary<string, object?>> ListAsync(CancellationToken cancellationToken)
    {
        // Tasks only, as mirage-ecs lists them: a wanted environment with no task yet has no id for the template to slice.
        var running = (await rows.ListAsync(cancellationToken)).Where(r => r.Id.Length > 0);
        var observation = await observedTasks.GetAsync(cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stopped = observation.Stopped
            .Select(rows.RowOf)
            .OrderBy(r => r.Created)
            .Where(r => seen.Add(r.Subdomain))
            .ToList();
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["info"] = running.Concat(stopped).Select(Information).ToList(),
            ["error"] = null,
            ["Version"] = WebResponses.ShortVersion,
        };
    }

    public Dictionary<string, object?> Launcher() => new(StringComparer.Ordinal)
    {
        ["DefaultTaskDefinitions"] = launcher.DefaultTaskDefinitions().ToList(),
        ["Parameters"] = config.Parameters.Select(Parameter).ToList(),
        ["Version"] = WebResponses.ShortVersion,
    };

    private static GoStruct Information(TaskInformation row) => new("*mirageecs.Information", new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["ID"] = row.Id,
        ["ShortID"] = row.ShortId,
        ["SubDomain"] = row.Subdomain,
        ["GitBranch"] = row.Branch,
        ["TaskDef"] = row.TaskDef,
        ["IPAddress"] = row.IpAddress,
        ["Created"] = new GoTime(row.Created),
        ["LastStatus"] = row.LastStatus,
        ["PortMap"] = row.PortMap.ToDictionary(p => p.Key, p => (object?)(long)p.Value, StringComparer.Ordinal),
        // As on Mirage's own pages, a value whose name looks secret is not written into HTML.
        ["Env"] = row.Env.ToDictionary(e => e.Key, e => (object?)SecretNames.Shown(e.Key, e.Value), StringComparer.Ordinal),
        ["Tags"] = row.Tags.Select(t => new GoStruct("types.Tag", new Dictionary<string, object?> { ["Key"] = t.Key, ["Value"] = t.Value })).ToList(),
    });

    private static GoStruct Parameter(ParameterConfig p) => new("mirageecs.Parameter", new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["Name"] = p.Name,
        ["Env"] = p.Env,
        ["Rule"] = p.Rule,
        ["Required"] = p.Required,
        ["Default"] = p.Default,
        ["Description"] = p.Description,
        ["Options"] = p.Options.Select(o => new GoStruct("mirageecs.ParameterOption", new Dictionary<string, object?> { ["Label"] = o.Label, ["Value"] = o.Value })).ToList(),
    });
}
