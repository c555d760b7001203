namespace Mirage.GoTemplates.Escaping;

internal enum AttributeType
{
    Plain,
    Url,
    Css,
    Js,
}

/// <summary>html/template's attr.go: what an attribute's value holds, by its (lower-case) name.</summary>
internal static class AttributeTypes
{
    private static readonly HashSet<string> UrlNames =
    [
        "action", "archive", "background", "cite", "classid", "codebase", "data", "formaction", "href", "icon",
        "longdesc", "manifest", "poster", "profile", "src", "srcset", "usemap", "xmlns",
    ];

    public static AttributeType Of(string name)
    {
        if (name.StartsWith("data-", StringComparison.Ordinal))
        {
            name = name[5..];
        }
        else if (name.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            if (name[..colon] == "xmlns")
            {
                return AttributeType.Url;
            }
            name = name[(colon + 1)..];
        }
        if (UrlNames.Contains(name))
        {
            return AttributeType.Url;
        }
        if (name == "style")
        {
            return AttributeType.Css;
        }
        if (name.StartsWith("on", StringComparison.Ordinal))
        {
            return AttributeType.Js;
        }
        return name.Contains("src", StringComparison.Ordinal) || name.Contains("uri", StringComparison.Ordinal) || name.Contains("url", StringComparison.Ordinal)
            ? AttributeType.Url
            : AttributeType.Plain;
    }
}
