using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Mirage.Api.Hosting;

public static class OpenApiBodyExtensions
{
    /// <summary>
    /// Documents a JSON request body without <c>Accepts</c> metadata: routing would enforce that as a content-type
    /// filter (415), while the endpoints answer mirage-ecs's 400 themselves and take forms with -compat-v1.
    /// </summary>
    public static RouteHandlerBuilder DocumentsJsonBody<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
