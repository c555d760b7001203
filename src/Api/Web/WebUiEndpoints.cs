using Mirage.Api.Web.Pages;
using Mirage.Api.Web.Templates;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mirage.Model.Configuration;

namespace Mirage.Api.Web;

/// <summary>Registers and maps the web UI (only reached for the web API host: the Edge forwards every other host).</summary>
public static class WebUiEndpoints
{
    /// <summary>Loads templates and assets now (an s3:// htmldir: at host start), so a broken template stops the start.</summary>
    /// <exception cref="ConfigException">A template does not parse.</exception>
    public static IServiceCollection AddMirageWebUi(this IServiceCollection services, MirageConfig config, bool local)
    {
        var files = new WebUiFiles();
        if (config.HtmlDir.StartsWith("s3://", StringComparison.Ordinal))
        {
            // Read after HtmlDirStartup (registered earlier, with the AWS backend) has downloaded the prefix.
            services.AddHostedService<WebUiFilesStartup>();
        }
        else
        {
            files.Load(config.HtmlDir);
        }
        services.AddSingleton(files);
        services.AddSingleton(sp => sp.GetRequiredService<WebUiFiles>().Templates);
        services.AddSingleton(sp => sp.GetRequiredService<WebUiFiles>().Assets);
        services.AddSingleton(sp => sp.GetRequiredService<WebUiFiles>().MirageEcs);
        services.AddSingleton<MirageEcsTemplates.MirageEcsPageData>();
        services.AddSingleton(new WebUiOptions(local));
        services.AddSingleton<WebResponses>();
        // Replaces the Edge's built-in waking page (registered with TryAdd), whichever is registered first.
        services.RemoveAll<Mirage.Edge.Waking.IWakingPage>();
        services.AddSingleton<Mirage.Edge.Waking.IWakingPage, TemplateWakingPage>();
        services.AddSingleton<ListPageBuilder>();
        services.AddSingleton<LauncherPageBuilder>();
        services.AddSingleton<EnvironmentPageBuilder>();
        services.AddSingleton<TracePageBuilder>();
        return services;
    }

    public static IEndpointRouteBuilder MapMirageWebUi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapWebPages().MapWebActions();
}
