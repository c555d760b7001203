using System.Reflection;
using Mirage.Api.Cli;
using Mirage.Api.CommandLine;
using Mirage.Api.DemoApp;
using Mirage.Aws.S3;
using Mirage.Model.Configuration;

namespace Mirage.Api.Hosting;

/// <summary>The <c>mirage</c> executable: parses the command line, then runs the server or a subcommand.</summary>
public static class MirageProgram
{
    public static string Version { get; } =
        typeof(MirageProgram).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var parsed = CommandLineParser.Parse(args, environment);
        if (parsed.Error is { } error)
        {
            await Console.Error.WriteLineAsync($"mirage: {error}\n\n{CommandLineParser.Usage}");
            return 2;
        }
        var options = parsed.Options!;
        if (options.ShowHelp)
        {
            Console.WriteLine(CommandLineParser.Usage);
            return 0;
        }
        if (options.ShowVersion)
        {
            Console.WriteLine($"mirage {Version}");
            return 0;
        }
        switch (options.Command)
        {
            case "demo-app":
                return await DemoApp.DemoApp.RunAsync(options.CommandArgs, cancellationToken);
            case "local-endpoints":
                return await LocalEndpointsCommand.RunAsync(options.CommandArgs, environment, Console.Out, Console.Error, cancellationToken);
            case { } command when ClientCommands.Names.Contains(command):
                return await ClientCommands.RunAsync(command, options.CommandArgs, environment, TimeProvider.System, Console.Out, Console.Error, cancellationToken);
            case null:
                break;
            default:
                await Console.Error.WriteLineAsync($"mirage: unknown command {options.Command}\n\n{CommandLineParser.Usage}");
                return 2;
        }

        ConfigLoadResult loaded;
        try
        {
            loaded = await LoadConfigAsync(options, environment, cancellationToken);
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync($"mirage: {e.Message}");
            return 1;
        }
        if (options.DumpConfig)
        {
            Console.Write(ConfigDump.ToYaml(loaded.Config));
            return 0;
        }
        try
        {
            return await MirageServer.RunAsync(options, loaded, cancellationToken);
        }
        catch (ConfigException e)
        {
            // A web UI template that does not parse is found while the server is built.
            await Console.Error.WriteLineAsync($"mirage: {e.Message}");
            return 1;
        }
    }

    private static async Task<ConfigLoadResult> LoadConfigAsync(CommandLineOptions options, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        using var s3 = new S3ConfigSource();
        return await new ConfigLoader(environment).LoadAsync(options.Conf, [new FileConfigSource(), s3], options.ToLoaderOptions(), cancellationToken);
    }
}
