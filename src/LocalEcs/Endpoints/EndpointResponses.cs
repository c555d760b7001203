using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mirage.LocalEcs.Credentials;

namespace Mirage.LocalEcs.Endpoints;

/// <summary>
/// How the metadata and credentials routes write their answers, shared by LocalEcs's own endpoints and the standalone
/// <c>mirage local-endpoints</c>: the agent's JSON names, its credentials shape and its JSON errors.
/// </summary>
internal static class EndpointResponses
{
    public static readonly JsonSerializerOptions MetadataJson = new()
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static readonly JsonSerializerOptions StatsJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>As the ECS agent's metadata handlers: a JSON string body with the status.</summary>
    public static Task MetadataErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(message, MetadataJson, context.RequestAborted);
    }

    /// <summary>Fetches and writes credentials; a bad role is a 400 and an STS failure a 502, in the agent's error shape.</summary>
    public static async Task VendAsync(HttpContext context, Func<CancellationToken, Task<VendedCredentials>> fetch, ILogger logger, string caller)
    {
        VendedCredentials credentials;
        try
        {
            credentials = await fetch(context.RequestAborted);
        }
        catch (ArgumentException ex)
        {
            await CredentialsErrorAsync(context, StatusCodes.Status400BadRequest, "InvalidRequest", ex.Message);
            return;
        }
        catch (CredentialsUnavailableException ex)
        {
            Log.CredentialsFailed(logger, caller, ex.Message);
            await CredentialsErrorAsync(context, StatusCodes.Status502BadGateway, "CredentialsUnavailable", ex.Message);
            return;
        }
        context.Response.Headers.CacheControl = "no-store";
        // Key order as the ECS local container endpoints write it.
        await context.Response.WriteAsJsonAsync(new CredentialsResponse(
            credentials.AccessKeyId,
            Rfc3339.FormatSeconds(credentials.Expiration),
            credentials.RoleArn,
            credentials.SecretAccessKey,
            credentials.Token), MetadataJson, context.RequestAborted);
    }

    public static Task CredentialsErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new CredentialsError(code, message, status), MetadataJson, context.RequestAborted);
    }

    private sealed record CredentialsResponse(string AccessKeyId, string Expiration, string RoleArn, string SecretAccessKey, string Token);

    /// <summary>The ECS agent's error shape.</summary>
    private sealed record CredentialsError(
        [property: JsonPropertyName("code")] string Code,
        [property: JsonPropertyName("message")] string Message,
        int HTTPErrorCode);
}
