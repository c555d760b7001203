using Microsoft.AspNetCore.OpenApi;

namespace Mirage.Api.Hosting;

/// <summary>The OpenAPI document of <c>/api/*</c>, served at <c>/api/openapi.json</c> and checked in as specs/openapi.json.</summary>
public static class OpenApiSetup
{
    public const string Path = "/api/openapi.json";

    public static IServiceCollection AddMirageOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Mirage API";
                document.Info.Description = "mirage-ecs compatible /api/* plus Mirage's environment API. Launch and terminate record intents; a reconciler does the rest.";
                document.Info.Version = "v1";
                // The server address is whoever asked; a fixed document can be checked in and compared.
                document.Servers?.Clear();
                return Task.CompletedTask;
            });
            // Only the API: the web UI's HTML routes are not part of the contract.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
        });

    public static IEndpointConventionBuilder MapMirageOpenApi(this IEndpointRouteBuilder endpoints) => endpoints.MapOpenApi(Path);
}
