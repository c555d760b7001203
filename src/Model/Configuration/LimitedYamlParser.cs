using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mirage.Model.Configuration;

/// <summary>
/// Passes YamlDotNet's parser events through, refusing a document nested deeper than <see cref="FileLimits.MaxYamlDepth"/>
/// or holding more than <see cref="FileLimits.MaxYamlAliases"/> aliases. The parser itself keeps its state on the heap,
/// but the representation model (<see cref="YamlDotNet.RepresentationModel.YamlStream"/>) recurses once per level, so
/// the depth must be refused here, before it builds the tree.
/// </summary>
internal sealed class LimitedYamlParser(IParser inner) : IParser
{
    private int _depth;
    private int _aliases;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }
        switch (inner.Current)
        {
            case MappingStart or SequenceStart when ++_depth > FileLimits.MaxYamlDepth:
                throw new LimitExceededException(inner.Current.Start,
                    $"lists and mappings are nested more than {FileLimits.MaxYamlDepth} levels deep here; Mirage reads at most {FileLimits.MaxYamlDepth}, and no real file needs more");
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
            case AnchorAlias when ++_aliases > FileLimits.MaxYamlAliases:
                throw new LimitExceededException(inner.Current.Start,
                    $"the file uses more than {FileLimits.MaxYamlAliases} aliases (*name); write the values out or use fewer anchors");
        }
        return true;
    }

    /// <summary>A limit was passed at <see cref="Mark"/>; the message says which.</summary>
    internal sealed class LimitExceededException(Mark mark, string problem) : Exception(problem)
    {
        public Mark Mark { get; } = mark;
    }
}
