using System.Collections;
using Mirage.LocalEcs.Tasks;

namespace Mirage.LocalEcs.Tests.Hardening;

/// <summary>What a local process inherits from Mirage's own environment: an allow-list, nothing else.</summary>
public sealed class TaskEnvironmentAllowListTests
{
    [Fact]
    public void Only_the_allow_listed_names_and_locale_categories_are_inherited()
    {
        var mirage = new Hashtable
        {
            ["PATH"] = "/usr/bin:/bin",
            ["HOME"] = "/home/dev",
            ["LANG"] = "C.UTF-8",
            ["LC_ALL"] = "C.UTF-8",
            ["TZ"] = "UTC",
            ["TMPDIR"] = "/tmp",
            ["AWS_ACCESS_KEY_ID"] = "AKIAEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
            ["GITHUB_TOKEN"] = "ghp_secret",
            ["MIRAGE_AUTH_TOKEN"] = "mirage-secret",
            ["DATABASE_URL"] = "postgres://user:pass@db/app",
            ["path"] = "/lower/case/is/another/name",
        };

        var inherited = TaskEnvironment.Inherited(mirage);

        Assert.Equal(["HOME", "LANG", "LC_ALL", "PATH", "TMPDIR", "TZ"], inherited.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("/usr/bin:/bin", inherited["PATH"]);
    }
}
