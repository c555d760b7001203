namespace Mirage.EndToEnd.Tests.Attacks;

/// <summary>
/// The stores slice's light task: one <c>sleep</c> per environment (no port, no runtime to load), so a hundred
/// launches fit on two cores. <c>MIRAGE_ATTACK_MARK</c> tells this test's tasks from everything else in /proc.
/// </summary>
internal static class SleeperTaskDefinition
{
    public static string Json(string mark) => $$"""
        {
          "family": "sleeper",
          "containerDefinitions": [{
            "name": "sleep",
            "essential": true,
            "entryPoint": ["/bin/sh", "-c"],
            "command": ["exec sleep 3600"],
            "environment": [{ "name": "MIRAGE_ATTACK_MARK", "value": "{{mark}}" }],
            "stopTimeout": 2
          }]
        }
        """;
}

/// <summary>This test's sleeper processes, found through /proc by their mark: what really runs, not what mirage says.</summary>
internal static class MarkedProcesses
{
    /// <summary>Pid → the environment's subdomain (<c>SUBDOMAINRAW</c>) of every live process carrying <paramref name="mark"/>.</summary>
    public static IReadOnlyDictionary<int, string> Find(string mark)
    {
        var found = new Dictionary<int, string>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }
            try
            {
                var environment = File.ReadAllText(Path.Combine(folder, "environ")).Split('\0');
                if (!environment.Contains($"MIRAGE_ATTACK_MARK={mark}") || IsZombie(folder))
                {
                    continue;
                }
                var subdomain = environment.FirstOrDefault(e => e.StartsWith("SUBDOMAINRAW=", StringComparison.Ordinal));
                found[pid] = subdomain?["SUBDOMAINRAW=".Length..] ?? "";
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }

    /// <summary>Kills every live process carrying <paramref name="mark"/> (nothing of a test may outlive it).</summary>
    public static void KillAll(string mark)
    {
        foreach (var pid in Find(mark).Keys)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // It ended meanwhile.
            }
        }
    }

    // A killed task whose parent has not reaped it yet still lists its environment.
    private static bool IsZombie(string folder)
    {
        var stat = File.ReadAllText(Path.Combine(folder, "stat"));
        var afterName = stat.LastIndexOf(')');
        return afterName > 0 && afterName + 2 < stat.Length && stat[afterName + 2] is 'Z' or 'X';
    }
}
