using System.Buffers;
using System.Text;

namespace Mirage.Model.Tests;

/// <summary>Generated strings may hold lone surrogates, which no UTF-8 encoding (JSON, tags) can carry.</summary>
internal static class WellFormedText
{
    public static bool IsWellFormed(string s)
    {
        var rest = s.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out var width) != OperationStatus.Done)
            {
                return false;
            }
            rest = rest[width..];
        }
        return true;
    }
}
