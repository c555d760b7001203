using System.Text;

namespace Mirage.Model.Launch;

/// <summary>The <c>Subdomain</c> tag value: Go's base64.URLEncoding (URL-safe alphabet, with padding) of the UTF-8 bytes.</summary>
public static class SubdomainTag
{
    public static string Encode(string subdomain) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(subdomain)).Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// The subdomain a tag value stands for. A value that is not valid base64url is taken as the subdomain itself, as
    /// mirage-ecs does (it logs a warning). Like there, a raw value that happens to be valid base64url (e.g. <c>abcd</c>)
    /// is decoded anyway: the tag is always written encoded, so only hand-made tags can meet this.
    /// </summary>
    public static string Decode(string tagValue) => TryDecode(tagValue, out var subdomain) ? subdomain : tagValue;

    public static bool TryDecode(string tagValue, out string subdomain)
    {
        subdomain = "";
        // '+', '/' and whitespace are outside the URL alphabet; .NET's decoder would otherwise accept them.
        if (tagValue.AsSpan().IndexOfAny("+/ \t\r\n") >= 0)
        {
            return false;
        }
        var standard = tagValue.Replace('-', '+').Replace('_', '/');
        var bytes = new byte[standard.Length];
        if (!Convert.TryFromBase64String(standard, bytes, out var written))
        {
            return false;
        }
        subdomain = Encoding.UTF8.GetString(bytes, 0, written);
        return true;
    }
}
