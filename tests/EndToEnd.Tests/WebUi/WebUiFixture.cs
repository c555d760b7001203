using Mirage.EndToEnd.Tests.Support;
using Mirage.TestKit;

namespace Mirage.EndToEnd.Tests.WebUi;

/// <summary>One local Mirage (with a few configured parameters) and one Chromium for the web UI tests of a class.</summary>
public sealed class WebUiFixture : IAsyncLifetime
{
    // A required branch, a parameter with options and a default, and one whose name looks secret.
    public const string Config = MirageProcess.LocalConfig + """
        parameters:
          - name: branch
            env: GIT_BRANCH
            required: true
            description: The git branch to deploy.
          - name: size
            env: SIZE
            default: small
            description: How much CPU the environment gets.
            options:
              - label: Small (1 vCPU)
                value: small
              - label: Large (4 vCPU)
                value: large
          - name: api_token
            env: API_TOKEN
            description: Token the app uses to call the backend.

        """;

    public MirageProcess Mirage { get; private set; } = null!;
    public Chromium Chromium { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Mirage = await MirageProcess.StartAsync(new MirageProcessOptions { ConfigText = Config }, TestContext.Current.CancellationToken);
        Chromium = await Chromium.LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }
        if (Mirage is not null)
        {
            await Mirage.DisposeAsync();
        }
    }
}
