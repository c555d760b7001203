using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Mirage.Aws.Transport;

/// <summary>awsJson1.1: <c>POST /</c> with the operation in <c>X-Amz-Target</c> and a JSON body.</summary>
public static class AwsJsonProtocol
{
    public const string ContentType = "application/x-amz-json-1.1";

    public static AwsHttpRequest Request<T>(string targetPrefix, string operation, T body, JsonTypeInfo<T> typeInfo) =>
        new(HttpMethod.Post, "/", JsonSerializer.SerializeToUtf8Bytes(body, typeInfo), ContentType,
            [new("X-Amz-Target", $"{targetPrefix}.{operation}")]);

    public static T Read<T>(AwsHttpResponse response, JsonTypeInfo<T> typeInfo, string service, string operation)
    {
        try
        {
            return (response.Body.Length == 0 ? default : JsonSerializer.Deserialize(response.Body, typeInfo))
                ?? throw new InvalidDataException($"{service} {operation} returned an empty body");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{service} {operation} returned JSON that does not match the API shape: {e.Message}", e);
        }
    }
}
