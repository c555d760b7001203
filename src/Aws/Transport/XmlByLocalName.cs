using System.Xml.Linq;

namespace Mirage.Aws.Transport;

/// <summary>
/// XML navigation that ignores namespaces: emulators answer with other API versions' namespaces (moto's Route53
/// uses 2012-12-12), and the element names are what the API defines.
/// </summary>
public static class XmlByLocalName
{
    public static XElement? Child(this XElement? element, string localName) =>
        element?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    public static IEnumerable<XElement> Children(this XElement? element, string localName) =>
        element?.Elements().Where(e => e.Name.LocalName == localName) ?? [];

    public static string? ChildValue(this XElement? element, string localName) => element.Child(localName)?.Value;

    public static XElement? Descendant(this XContainer? container, string localName) =>
        container?.Descendants().FirstOrDefault(e => e.Name.LocalName == localName);
}
