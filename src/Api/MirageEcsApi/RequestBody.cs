using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Mirage.Api.MirageEcsApi;

/// <summary>
/// A POST body read as named string values: a JSON object (v2), or a form (with -compat-v1, and for the web UI).
/// Reading checks types so a wrong one is reported by field name, not as a generic parse error.
/// </summary>
public sealed class RequestBody
{
    /// <summary>Bodies above this size are refused with 413 before they are read.</summary>
    public const long MaxBytes = 1024 * 1024;

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonValueKind> _jsonKinds = new(StringComparer.Ordinal);

    private RequestBody()
    {
    }

    /// <summary>Reads the body; on failure returns the HTTP status (400, 413 or 415) and a message that says what to fix.</summary>
    public static async Task<(RequestBody? Body, int Status, string? Error)> ReadAsync(HttpRequest request, bool allowForm, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, TooLarge);
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }
        try
        {
            var (body, error) = await ReadCoreAsync(request, allowForm, cancellationToken);
            return (body, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, error);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, TooLarge);
        }
        catch (InvalidDataException e)
        {
            return (null, StatusCodes.Status400BadRequest, $"request body is not a valid form: {e.Message}");
        }
    }

    /// <summary>The refusal of a body over <see cref="MaxBytes"/>, whether its length was declared or it was chunked.</summary>
    public const string TooLarge = "the request body must not exceed 1048576 bytes (1 MB)";

    private static async Task<(RequestBody? Body, string? Error)> ReadCoreAsync(HttpRequest request, bool allowForm, CancellationToken cancellationToken)
    {
        var body = new RequestBody();
        // Query-string values come first; body values override them (as mirage-ecs binds them).
        foreach (var (key, values) in request.Query)
        {
            body.Set(key, values);
        }
        if (request.HasJsonContentType())
        {
            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
            }
            catch (JsonException e)
            {
                return (null, $"request body is not valid JSON: {e.Message}");
            }
            using (document)
            {
                return body.ReadJson(document.RootElement) is { } error ? (null, error) : (body, null);
            }
        }
        if (allowForm && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            foreach (var (key, values) in form)
            {
                if (key == "parameters")
                {
                    return (null, "form field \"parameters\" is not allowed; send each parameter as its own field");
                }
                body.Set(key, values);
            }
            return (body, null);
        }
        if (request.ContentLength is null or 0 && !request.Headers.ContainsKey("Transfer-Encoding"))
        {
            return (body, null);
        }
        return (null, allowForm
            ? "send the request body as JSON (Content-Type: application/json) or as a form"
            : "send the request body as JSON (Content-Type: application/json)");
    }

    /// <summary>The first value of a field, or "" when absent.</summary>
    public string Get(string name) => _values.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : "";

    public bool Has(string name) => _values.ContainsKey(name) || _objects.ContainsKey(name);

    /// <summary>Every value of a field (a JSON array, or a repeated form field).</summary>
    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var values) ? values : [];

    /// <summary>A JSON object field of string values (e.g. <c>parameters</c>).</summary>
    public IReadOnlyDictionary<string, string> GetObject(string name) =>
        _objects.TryGetValue(name, out var values) ? values : new Dictionary<string, string>();

    /// <summary>Fields other than the named ones, first value each (form parameters in mirage-ecs).</summary>
    public IReadOnlyDictionary<string, string> Others(params string[] except) =>
        _values.Where(kv => !except.Contains(kv.Key) && kv.Value.Count > 0).ToDictionary(kv => kv.Key, kv => kv.Value[0], StringComparer.Ordinal);

    /// <summary>An error naming the first JSON field whose type is not the expected one; form fields always pass.</summary>
    public string? CheckTypes(params (string Name, JsonValueKind Kind, string Description)[] expected)
    {
        foreach (var (name, kind, description) in expected)
        {
            if (_jsonKinds.TryGetValue(name, out var actual) && actual != kind && actual != JsonValueKind.Null && !(IsBoolean(actual) && IsBoolean(kind)))
            {
                return $"\"{name}\" must be {description}";
            }
        }
        return null;
    }

    private static bool IsBoolean(JsonValueKind kind) => kind is JsonValueKind.True or JsonValueKind.False;

    private void Set(string key, StringValues values) => _values[key] = [.. values.Where(v => v is not null).Select(v => v!)];

    private string? ReadJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "request body must be a JSON object";
        }
        foreach (var property in root.EnumerateObject())
        {
            _jsonKinds[property.Name] = property.Value.ValueKind;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    _values[property.Name] = [property.Value.GetString()!];
                    break;
                case JsonValueKind.Number:
                    _values[property.Name] = [property.Value.GetRawText()];
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    _values[property.Name] = [property.Value.GetRawText()];
                    break;
                case JsonValueKind.Null:
                    _values.Remove(property.Name);
                    break;
                case JsonValueKind.Array:
                    List<string> items = [];
                    foreach (var item in property.Value.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String)
                        {
                            return $"\"{property.Name}\" must be an array of strings";
                        }
                        items.Add(item.GetString()!);
                    }
                    _values[property.Name] = items;
                    break;
                case JsonValueKind.Object:
                    Dictionary<string, string> fields = new(StringComparer.Ordinal);
                    foreach (var field in property.Value.EnumerateObject())
                    {
                        if (field.Value.ValueKind != JsonValueKind.String)
                        {
                            return $"\"{property.Name}.{field.Name}\" must be a string";
                        }
                        fields[field.Name] = field.Value.GetString()!;
                    }
                    _objects[property.Name] = fields;
                    break;
                default:
                    return $"\"{property.Name}\" has an unsupported JSON type";
            }
        }
        return null;
    }
}
