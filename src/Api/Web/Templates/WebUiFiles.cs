using Mirage.Api.Web.MirageEcsTemplates;

namespace Mirage.Api.Web.Templates;

/// <summary>
/// Everything the UI reads from htmldir — Mirage's templates, mirage-ecs's Go templates, assets — loaded once: while
/// the server is built for a local htmldir, or at host start once an <c>s3://</c> htmldir is downloaded
/// (<see cref="WebUiFilesStartup"/>). Either way a broken file stops the start.
/// </summary>
public sealed class WebUiFiles
{
    private (WebTemplates Templates, WebAssets Assets, MirageEcsTemplateSet MirageEcs)? _loaded;

    public WebTemplates Templates => Loaded.Templates;
    public WebAssets Assets => Loaded.Assets;
    public MirageEcsTemplateSet MirageEcs => Loaded.MirageEcs;

    private (WebTemplates Templates, WebAssets Assets, MirageEcsTemplateSet MirageEcs) Loaded =>
        _loaded ?? throw new InvalidOperationException("the web UI's files are read when the host starts; nothing may render before");

    /// <exception cref="Model.Configuration.ConfigException">A template does not parse.</exception>
    public void Load(string folder)
    {
        var directory = new HtmlDirectory(folder);
        _loaded = (WebTemplates.Load(directory), WebAssets.Load(directory), MirageEcsTemplateSet.Load(folder));
    }
}
