using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace Mirage.Model.Configuration;

/// <summary>
/// Where a YAML text that ends inside a construct opened it: the <c>[</c> or <c>{</c> never closed, or the quote of
/// a value never closed. YamlDotNet only notices at the end of the file, which is not where to fix it.
/// </summary>
internal static class UnclosedYamlConstruct
{
    public static (Mark Mark, string Construct)? Find(string text)
    {
        var open = new Stack<(Mark Mark, string Construct)>();
        var scanner = new Scanner(new StringReader(text), skipComments: true);
        var scannedTo = 0L;
        try
        {
            while (scanner.MoveNext())
            {
                var token = scanner.Current!;
                switch (token)
                {
                    case FlowSequenceStart:
                        open.Push((token.Start, "["));
                        break;
                    case FlowMappingStart:
                        open.Push((token.Start, "{"));
                        break;
                    case FlowSequenceEnd or FlowMappingEnd when open.Count > 0:
                        open.Pop();
                        break;
                }
                scannedTo = token.End.Index;
            }
            // The scanner may read to the end without complaint; the parser is the one that fails.
            return open.Count > 0 ? Outermost(open) : null;
        }
        catch (Exception e) when (e is InvalidOperationException or YamlException)
        {
            if (open.Count > 0)
            {
                return Outermost(open);
            }
            // The scanner looks ahead through a whole flow collection or quoted value before it yields its first
            // token, so the opener it choked on is the first one after the last whole token.
            var opener = text.AsSpan((int)Math.Min(scannedTo, text.Length)).IndexOfAny("[{\"'");
            if (opener < 0)
            {
                return null;
            }
            var index = (int)scannedTo + opener;
            return (MarkAt(text, index), text[index].ToString());
        }
    }

    // Every construct still open when the text ended is unclosed; the outermost is where to start closing.
    private static (Mark Mark, string Construct) Outermost(Stack<(Mark Mark, string Construct)> open) => open.Last();

    private static Mark MarkAt(string text, int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return new Mark(index, line, index - lineStart + 1);
    }
}
