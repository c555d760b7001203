using Microsoft.Extensions.Logging;
using Mirage.Api.CommandLine;

namespace Mirage.Api.Tests.CommandLine;

public sealed class CommandLineParserTests
{
    private static CommandLineParseResult Parse(string[] args, params (string Name, string Value)[] environment)
    {
        var variables = environment.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        return CommandLineParser.Parse(args, name => variables.GetValueOrDefault(name));
    }

    private static CommandLineOptions Options(string[] args, params (string Name, string Value)[] environment)
    {
        var result = Parse(args, environment);
        Assert.True(result.Succeeded, result.Error);
        return result.Options;
    }

    private static string Error(string[] args, params (string Name, string Value)[] environment)
    {
        var result = Parse(args, environment);
        Assert.False(result.Succeeded);
        return result.Error;
    }

    [Fact]
    public void No_arguments_give_mirage_ecs_defaults()
    {
        var options = Options([]);

        Assert.Equal(new CommandLineOptions(), options with { Warnings = [], CommandArgs = [] });
        Assert.Equal(("", ".local", 80, LogFormat.Text, LogLevel.Information), (options.Conf, options.Domain, options.DefaultPort, options.LogFormat, options.LogLevel));
        Assert.False(options.Local || options.CompatV1 || options.DumpConfig || options.ShowVersion || options.ShowHelp);
        Assert.Null(options.Command);
        Assert.Empty(options.Warnings);
    }

    [Theory]
    [InlineData("-")]
    [InlineData("--")]
    public void Every_flag_works_with_one_or_two_dashes_and_either_value_form(string dash)
    {
        var separate = Options([$"{dash}conf", "mirage.yml", $"{dash}domain", "dev.example.net", $"{dash}default-port", "8080",
            $"{dash}log-format", "json", $"{dash}log-level", "DEBUG", $"{dash}local", $"{dash}compat-v1", $"{dash}x", $"{dash}version"]);
        var inline = Options([$"{dash}conf=mirage.yml", $"{dash}domain=dev.example.net", $"{dash}default-port=8080",
            $"{dash}log-format=json", $"{dash}log-level=DEBUG", $"{dash}local=true", $"{dash}compat-v1=1", $"{dash}x=t", $"{dash}v"]);

        foreach (var options in new[] { separate, inline })
        {
            Assert.Equal("mirage.yml", options.Conf);
            Assert.Equal(".dev.example.net", options.Domain);
            Assert.Equal(8080, options.DefaultPort);
            Assert.Equal(LogFormat.Json, options.LogFormat);
            Assert.Equal(LogLevel.Debug, options.LogLevel);
            Assert.True(options.Local);
            Assert.True(options.CompatV1);
            Assert.True(options.DumpConfig);
            Assert.True(options.ShowVersion);
        }
    }

    [Theory]
    [InlineData("-local=false", false)]
    [InlineData("-local=0", false)]
    [InlineData("-local=F", false)]
    [InlineData("-local=TRUE", true)]
    [InlineData("--local", true)]
    public void Bool_flags_take_go_bool_values_after_equals(string arg, bool expected)
    {
        Assert.Equal(expected, Options([arg]).Local);
        Assert.Equal(expected, Options([arg], ("MIRAGE_LOCAL", expected ? "false" : "true")).Local);
    }

    [Fact]
    public void Bool_flag_followed_by_a_separate_value_is_an_error_that_shows_the_equals_form()
    {
        Assert.Equal("unexpected argument \"false\"; bool flags take their value after =, e.g. -local=false", Error(["-local", "false"]));
        Assert.StartsWith("invalid value \"maybe\" for flag -local: use true or false", Error(["-local=maybe"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example.net", ".example.net")]
    [InlineData(".example.net", ".example.net")]
    public void Domain_gets_a_leading_dot(string domain, string expected)
    {
        Assert.Equal(expected, Options(["-domain", domain]).Domain);
        Assert.Equal(expected, Options([], ("MIRAGE_DOMAIN", domain)).Domain);
    }

    [Fact]
    public void Every_flag_can_come_from_its_mirage_environment_variable()
    {
        var options = Options([],
            ("MIRAGE_CONF", "s3://bucket/config.yml"),
            ("MIRAGE_DOMAIN", "dev.example.net"),
            ("MIRAGE_LOCAL", "1"),
            ("MIRAGE_COMPAT_V1", "true"),
            ("MIRAGE_DEFAULT_PORT", "8080"),
            ("MIRAGE_LOG_FORMAT", "json"),
            ("MIRAGE_LOG_LEVEL", "warn"),
            ("MIRAGE_X", "true"));

        Assert.Equal("s3://bucket/config.yml", options.Conf);
        Assert.Equal(".dev.example.net", options.Domain);
        Assert.True(options.Local);
        Assert.True(options.CompatV1);
        Assert.Equal(8080, options.DefaultPort);
        Assert.Equal(LogFormat.Json, options.LogFormat);
        Assert.Equal(LogLevel.Warning, options.LogLevel);
        Assert.True(options.DumpConfig);
        Assert.True(Options([], ("MIRAGE_VERSION", "true")).ShowVersion);
        Assert.True(Options([], ("MIRAGE_V", "1")).ShowVersion);
    }

    [Fact]
    public void Explicit_flags_win_over_the_environment()
    {
        var options = Options(["-conf", "local.yml", "-local=false", "--default-port=3000", "-log-level", "error"],
            ("MIRAGE_CONF", "s3://bucket/config.yml"),
            ("MIRAGE_LOCAL", "true"),
            ("MIRAGE_DEFAULT_PORT", "8080"),
            ("MIRAGE_LOG_LEVEL", "debug"));

        Assert.Equal(("local.yml", false, 3000, LogLevel.Error), (options.Conf, options.Local, options.DefaultPort, options.LogLevel));
    }

    [Fact]
    public void Empty_environment_values_are_ignored()
    {
        var options = Options([], ("MIRAGE_CONF", ""), ("MIRAGE_DEFAULT_PORT", ""), ("MIRAGE_LOG_FORMAT", ""));

        Assert.Equal(("", 80, LogFormat.Text), (options.Conf, options.DefaultPort, options.LogFormat));
    }

    [Fact]
    public void Invalid_environment_value_is_an_error_naming_the_variable_unless_a_flag_replaces_it()
    {
        Assert.Equal("invalid value \"eighty\" in MIRAGE_DEFAULT_PORT: use a port number from 1 to 65535", Error([], ("MIRAGE_DEFAULT_PORT", "eighty")));
        Assert.StartsWith("invalid value \"yes\" in MIRAGE_LOCAL: use true or false", Error([], ("MIRAGE_LOCAL", "yes")), StringComparison.Ordinal);
        Assert.Equal(8080, Options(["-default-port", "8080"], ("MIRAGE_DEFAULT_PORT", "eighty")).DefaultPort);
    }

    [Theory]
    [InlineData("xml")]
    [InlineData("JSON")]
    public void Invalid_log_format_is_the_mirage_ecs_error(string format)
    {
        Assert.Equal($"invalid log format (text or json): {format}", Error(["-log-format", format]));
        Assert.Equal($"invalid log format (text or json): {format}", Error([], ("MIRAGE_LOG_FORMAT", format)));
    }

    [Theory]
    [InlineData("Debug", LogLevel.Debug)]
    [InlineData("INFO", LogLevel.Information)]
    [InlineData("Warn", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    public void Log_level_is_case_insensitive(string level, LogLevel expected)
    {
        Assert.Equal(expected, Options(["-log-level", level]).LogLevel);
    }

    [Fact]
    public void Invalid_log_level_warns_and_stays_at_info()
    {
        var options = Options(["--log-level=verbose"]);

        Assert.Equal(LogLevel.Information, options.LogLevel);
        var warning = Assert.Single(options.Warnings);
        Assert.Equal("invalid log level \"verbose\" (use debug, info, warn or error); logging at info", warning);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("http")]
    public void Default_port_must_be_a_port(string port)
    {
        Assert.Equal($"invalid value \"{port}\" for flag -default-port: use a port number from 1 to 65535", Error(["-default-port", port]));
    }

    [Fact]
    public void Unknown_flag_is_an_error_listing_the_flags()
    {
        var error = Error(["-config", "mirage.yml"]);

        Assert.StartsWith("unknown flag -config; the flags are -conf, -domain, -local, -compat-v1, -default-port", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_value_and_bad_syntax_are_errors()
    {
        Assert.Equal("flag -conf needs a value, e.g. -conf VALUE", Error(["-conf"]));
        Assert.Equal("flag -default-port needs a value, e.g. -default-port 8080", Error(["--default-port"]));
        Assert.StartsWith("bad flag syntax: ---conf", Error(["---conf"]), StringComparison.Ordinal);
        Assert.StartsWith("bad flag syntax: -=x", Error(["-=x"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Value_may_itself_start_with_a_dash_or_be_empty()
    {
        Assert.Equal("-odd-name.yml", Options(["-conf", "-odd-name.yml"]).Conf);
        Assert.Equal("", Options(["-conf="], ("MIRAGE_CONF", "s3://bucket/config.yml")).Conf);
    }

    [Fact]
    public void Help_is_recognised_and_the_usage_lists_every_flag_and_its_variable()
    {
        Assert.True(Options(["-h"]).ShowHelp);
        Assert.True(Options(["--help"]).ShowHelp);
        foreach (var name in new[] { "conf", "domain", "local", "compat-v1", "default-port", "log-format", "log-level", "x", "version", "v" })
        {
            Assert.Contains($"  -{name}", CommandLineParser.Usage, StringComparison.Ordinal);
        }
        Assert.Contains("MIRAGE_COMPAT_V1", CommandLineParser.Usage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo-app")]
    [InlineData("launch")]
    [InlineData("list")]
    [InlineData("logs")]
    [InlineData("terminate")]
    [InlineData("local-endpoints")]
    public void Subcommand_as_first_argument_returns_the_rest_untouched(string command)
    {
        var options = Options([command, "-subdomain", "feature-x", "--unknown=1", "positional"], ("MIRAGE_CONF", "mirage.yml"));

        Assert.Equal(command, options.Command);
        Assert.Equal(["-subdomain", "feature-x", "--unknown=1", "positional"], options.CommandArgs);
        Assert.Equal("mirage.yml", options.Conf);
    }

    [Fact]
    public void Subcommand_after_global_flags_keeps_the_flags()
    {
        var options = Options(["-conf", "mirage.yml", "-local", "list", "-json"]);

        Assert.Equal(("list", "mirage.yml", true), (options.Command, options.Conf, options.Local));
        Assert.Equal(["-json"], options.CommandArgs);
    }

    [Fact]
    public void Stray_argument_is_an_error_naming_it()
    {
        Assert.StartsWith("unexpected argument \"serve\"; mirage takes flags and, first, an optional subcommand (demo-app, launch",
            Error(["-local", "serve"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_feed_the_config_loader()
    {
        var loader = Options(["-domain", "dev.example.net", "-default-port", "8080", "-local"]).ToLoaderOptions();

        Assert.Equal((".dev.example.net", 8080, true), (loader.Domain, loader.DefaultPort, loader.Local));
    }
}
