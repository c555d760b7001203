using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirage.Edge.Hosting;
using Mirage.Model.Configuration;

namespace Mirage.Edge.Tests.Proxy;

public sealed class HostingDiagnosticsTests
{
    [Fact]
    public void The_hosting_layer_gets_no_per_request_activity_or_scope_even_with_console_logging_on()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Trace));
        services.AddMirageEdge(new MirageConfig());
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<ILoggerFactory>();

        // ASP.NET Core starts an Activity and a log scope per request when this category logs at any level.
        Assert.False(factory.CreateLogger(EdgeServiceCollectionExtensions.HostingDiagnosticsCategory).IsEnabled(LogLevel.Critical));
        Assert.True(factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Critical));
    }
}
