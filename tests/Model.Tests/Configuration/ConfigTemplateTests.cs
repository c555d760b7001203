using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mirage.Model.Configuration;
using static Mirage.Model.Tests.Configuration.ConfigFixtures;

namespace Mirage.Model.Tests.Configuration;

public sealed class ConfigTemplateTests
{
    private static string WebApi(string template, params (string, string)[] environment) =>
        Load($"host:\n  webapi: \"{template}\"\n", environment).Config.Host.WebApi;

    [Fact]
    public void Env_returns_the_first_non_empty_variable()
    {
        Assert.Equal("b-value", WebApi("{{ env `A` `B` `fallback` }}", ("A", ""), ("B", "b-value")));
        Assert.Equal("a-value", WebApi("{{ env \\\"A\\\" \\\"B\\\" }}".Replace("\\\"", "`", StringComparison.Ordinal), ("A", "a-value"), ("B", "b-value")));
    }

    [Fact]
    public void Env_with_two_or_more_arguments_falls_back_to_the_last_one_literally()
    {
        Assert.Equal("fallback", WebApi("{{ env `A` `B` `fallback` }}"));
        Assert.Equal("mirage.example.com", WebApi("{{ env `MIRAGE_HOST` `mirage.example.com` }}"));
    }

    [Fact]
    public void Env_tries_the_last_argument_as_a_variable_too_as_go_config_does()
    {
        Assert.Equal("from-default-var", WebApi("{{ env `A` `DEFAULT_HOST` }}", ("DEFAULT_HOST", "from-default-var")));
    }

    [Fact]
    public void One_argument_env_of_an_unset_variable_is_empty_with_a_warning_not_the_variable_name()
    {
        var result = Load("""
            auth:
              token:
                header: x-mirage-token
                token: "{{ env `MIRAGE_TOKEN` }}"
            """);

        Assert.Equal("", result.Config.Auth!.Token!.Token);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("mirage.yml", 4), (warning.File, warning.Line));
        Assert.Contains("MIRAGE_TOKEN is not set", warning.Message, StringComparison.Ordinal);
        Assert.Contains("{{ env \"MIRAGE_TOKEN\" \"default\" }}", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unset_env_inside_a_range_warns_once_for_its_line()
    {
        var result = Load("host:\n  webapi: a\nhtmldir: \"{{ range 3 }}{{ env `UNSET` }}{{ end }}\"\n");

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(3, warning.Line);
    }

    [Fact]
    public void Must_env_returns_the_value_and_accepts_a_defined_empty_value()
    {
        Assert.Equal("set", WebApi("{{ must_env `X` }}", ("X", "set")));
        Assert.Equal("", WebApi("{{ must_env `X` }}", ("X", "")));
    }

    [Fact]
    public void Must_env_of_an_unset_variable_is_a_startup_error_naming_the_variable_file_and_line()
    {
        var error = LoadFails("""
            host:
              webapi: mirage.example.com
            htmldir: "{{ must_env `HTMLDIR` }}"
            """);

        Assert.Equal("mirage.yml", error.File);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("mirage.yml:3: must_env \"HTMLDIR\": environment variable HTMLDIR is not set; set it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_escape_escapes_as_go_json_marshal_without_quotes()
    {
        Assert.Equal("a\\\"b\\\\c\\n\\u003ctag\\u003e \\u0026 \\u0001", ConfigTemplate.JsonEscape("a\"b\\c\n<tag> & \u0001"));
        // Go string escapes in the argument, JSON escapes in the result, YAML double quotes reading them back.
        var config = Load("host:\n  webapi: \"{{ json_escape \"say \\\"hi\\\"\\nnow\" }}\"\n").Config;
        Assert.Equal("say \"hi\"\nnow", config.Host.WebApi);
    }

    [Fact]
    public void Piped_value_becomes_the_last_argument()
    {
        Assert.Equal("a\\\\b", Load("htmldir: '{{ env `P` | json_escape }}'\n", ("P", "a\\b")).Config.HtmlDir);
    }

    [Fact]
    public void Comments_and_trim_markers_work_as_in_go_templates()
    {
        var config = Load("""
            {{/* the web api host */}}
            host:
              webapi: {{- " mirage.example.com" }}
              reverse_proxy_suffix: {{ "  " -}}
                .example.com
            """).Config;

        Assert.Equal("mirage.example.com", config.Host.WebApi);
        Assert.Equal(".example.com", config.Host.ReverseProxySuffix);
    }

    [Theory]
    [InlineData("{{ if true }}x{{ end }}", "x")]
    [InlineData("{{ printf \"%s-%d\" `x` 3 }}", "x-3")]
    [InlineData("{{ env (`A`) }}", "")]
    [InlineData("{{ $stage := env `STAGE` `dev` }}{{ if eq $stage `dev` }}./html-dev{{ else }}./html{{ end }}", "./html-dev")]
    [InlineData("{{ or (env `A` ``) `fallback` }}", "fallback")]
    [InlineData("{{ range $i := 3 }}{{ if $i }},{{ end }}{{ $i }}{{ end }}", "0,1,2")]
    [InlineData("{{ with env `A` `` }}set{{ else }}unset{{ end }}", "unset")]
    [InlineData("a{{/* a comment */}}b", "ab")]
    public void Go_text_template_actions_render_as_go_config_renders_them(string action, string expected)
    {
        Assert.Equal(expected, Load($"host:\n  webapi: mirage.example.com\nhtmldir: \"{action}\"\n").Config.HtmlDir);
    }

    [Theory]
    [InlineData("{{ .Values.host }}", "template: nil pointer evaluating interface {}.Values; the config template has no data, only functions")]
    [InlineData("{{ $.Values }}", "the config template has no data, only functions")]
    [InlineData("{{ secret `X` }}", "template: function \"secret\" not defined: use env, json_escape, must_env, or one of Go's built-in functions")]
    [InlineData("{{ env 42 }}", "template: error calling env: env takes strings, not 42; quote it")]
    [InlineData("{{ must_env `A` `B` }}", "error calling must_env: must_env takes exactly one string, got 2")]
    [InlineData("{{ if true }}x", "template: {{if}} is never closed: add {{end}}")]
    [InlineData("{{ end }}", "template: unexpected {{end}}")]
    public void Actions_go_cannot_render_are_errors_naming_the_line(string action, string problem)
    {
        var error = LoadFails($"host:\n  webapi: mirage.example.com\nhtmldir: \"{action}\"\n");

        Assert.Equal(3, error.Line);
        Assert.StartsWith("mirage.yml:3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_action_is_an_error_naming_the_line()
    {
        var unclosed = LoadFails("host:\n  webapi: {{ env `X`\n\n");
        // Go's lexer reads the YAML quote as the start of a template string, and says so.
        var unclosedInQuotes = LoadFails("host:\n  webapi: \"{{ env `X` \"\n");

        Assert.Equal("mirage.yml:2: template: action \"{{\" is never closed: end it with \"}}\"", unclosed.Message);
        Assert.Equal("mirage.yml:2: template: unterminated quoted string: close it with '\"'", unclosedInQuotes.Message);
    }

    [Fact]
    public void A_config_using_if_printf_and_range_renders_as_go_would()
    {
        var result = Load("""
            {{- $stage := env `STAGE` `dev` -}}
            host:
              webapi: {{ printf "mirage.%s.example.com" $stage }}
              reverse_proxy_suffix: .{{ $stage }}.example.com
            listen:
              http:
            {{- range $i := 2 }}
                - listen: 8{{ $i }}
                  target: 500{{ $i }}
            {{- end }}
            {{ if eq $stage "prod" -}}
            htmldir: ./html-prod
            {{- else -}}
            htmldir: ./html-{{ $stage }}
            {{- end }}
            """, ("STAGE", "qa"));

        var config = result.Config;
        Assert.Equal(("mirage.qa.example.com", ".qa.example.com"), (config.Host.WebApi, config.Host.ReverseProxySuffix));
        Assert.Equal([new ListenPort(80, 5000), new ListenPort(81, 5001)], config.Listen.Http);
        Assert.Equal("./html-qa", config.HtmlDir);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void A_config_template_past_the_output_limit_fails_fast_naming_the_line_and_the_limit()
    {
        var error = LoadFails("host:\n  webapi: a\nhtmldir: \"{{ range 1000000000 }}0123456789{{ end }}\"\n");

        Assert.Equal(3, error.Line);
        Assert.Contains("the output exceeds 4,194,304 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nested_ranges_printing_nothing_in_a_config_fail_at_the_step_limit()
    {
        var error = LoadFails("host:\n  webapi: a\n{{ range 100000 }}\n{{- range 100000 }}{{ end }}{{ end }}\n");

        Assert.Equal(4, error.Line);
        Assert.Contains("stopped after 10,000,000 steps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_errors_after_a_multi_line_if_point_at_the_line_as_written()
    {
        var typeError = LoadFails("{{ if true }}\nhtmldir: |\n  {{ env `BLOCK` }}\n{{ end }}\nhost: x\n", ("BLOCK", "one\n  two\n  three"));
        var yamlError = LoadFails("{{ if false }}\nhtmldir: x\nparameters: []\n{{ end -}}\nhost:\n  webapi: a\n reverse_proxy_suffix: b\n");
        var inRange = LoadFails("{{ range 2 }}\n# a comment\n{{ end }}\nhost: x\n");

        Assert.Equal((5, 7), (typeError.Line, typeError.Column));
        Assert.Equal(7, yamlError.Line);
        Assert.Equal((4, 7), (inRange.Line, inRange.Column));
    }

    [Fact]
    public void Yaml_errors_after_a_multi_line_value_point_at_the_line_as_written()
    {
        // The value adds two lines to the rendered text; errors must still name the lines of the file.
        var typeError = LoadFails("htmldir: |\n  {{ env `BLOCK` }}\nhost: x\n", ("BLOCK", "one\n  two\n  three"));
        var yamlError = LoadFails("htmldir: |\n  {{ env `BLOCK` }}\nhost:\n  webapi: a\n reverse_proxy_suffix: b\n", ("BLOCK", "one\n  two"));

        Assert.Equal((3, 7), (typeError.Line, typeError.Column));
        Assert.Equal(5, yamlError.Line);
    }

    [Property(MaxTest = 300)]
    public Property Json_escaped_env_value_in_a_double_quoted_scalar_reads_back_unchanged()
    {
        const string Alphabet = "abcXYZ019 -_.:/@#{}[]*&!|>'\"\\\n\r\t\b\f<>&\u0001\u001féü日本\u2028";
        var values = ArbMap.Default.ArbFor<int[]>().Convert(
            indexes => new string([.. indexes.Select(i => Alphabet[Math.Abs(i % Alphabet.Length)])]),
            text => [.. text.Select(c => Alphabet.IndexOf(c, StringComparison.Ordinal))]);

        return Prop.ForAll(values, value =>
                Load("htmldir: \"{{ env `V` | json_escape }}\"\n", ("V", value)).Config.HtmlDir == value);
    }
}
