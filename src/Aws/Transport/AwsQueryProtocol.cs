using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Mirage.Aws.Transport;

/// <summary>awsQuery: a form-encoded <c>POST /</c> with Action and Version; XML responses.</summary>
public static class AwsQueryProtocol
{
    public const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";

    public static AwsHttpRequest Request(string body) => new(HttpMethod.Post, "/", Encoding.UTF8.GetBytes(body), ContentType, []);

    /// <summary>One <c>&amp;name=value</c> pair, form-encoded.</summary>
    public static string Pair(string name, string value) => "&" + Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value);

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static XDocument ReadXml(AwsHttpResponse response, string service, string operation)
    {
        try
        {
            using var stream = new MemoryStream(response.Body);
            return XDocument.Load(stream);
        }
        catch (XmlException e)
        {
            throw new InvalidDataException($"{service} {operation} returned XML that does not parse: {e.Message}", e);
        }
    }
}
