namespace Mirage.GoTemplates.Parsing;

/// <summary>A named template's tree and the file it was defined in (for error messages).</summary>
internal sealed record ParsedTemplate(string Name, ListNode Root, string Origin);
