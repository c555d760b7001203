using Mirage.Model.Configuration;

namespace Mirage.Model.Tests.Configuration;

/// <summary>Loaders over a fixed environment, and the sample files copied next to the tests.</summary>
internal static class ConfigFixtures
{
    public static ConfigLoader Loader(params (string Name, string Value)[] environment)
    {
        var variables = environment.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        return new ConfigLoader(name => variables.GetValueOrDefault(name));
    }

    public static ConfigText Sample(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Configuration", "Samples", name);
        return new ConfigText(File.ReadAllText(path), name);
    }

    public static ConfigLoadResult Load(string yaml, params (string Name, string Value)[] environment) =>
        Loader(environment).Load(new ConfigText(yaml, "mirage.yml"), new ConfigLoaderOptions());

    public static ConfigException LoadFails(string yaml, params (string Name, string Value)[] environment) =>
        Assert.Throws<ConfigException>(() => Load(yaml, environment));
}
