using System.Collections;
using System.Globalization;
using System.Text;
using Mirage.GoTemplates.Escaping;
using Mirage.GoTemplates.Values;

namespace Mirage.GoTemplates.Execution;

/// <summary>
/// text/template's predefined functions (funcs.go). <c>and</c> and <c>or</c> are here for the parser's name check but
/// run in <see cref="Executor"/>, which evaluates their arguments lazily as Go 1.18+ does. <c>call</c> is not offered:
/// the data holds no Go functions.
/// </summary>
internal static class Builtins
{
    /// <summary>A predefined function: it needs only its arguments, never where it was called.</summary>
    public delegate object? BuiltinFunction(IReadOnlyList<object?> arguments);

    public static readonly IReadOnlySet<string> Lazy = new HashSet<string>(StringComparer.Ordinal) { "and", "or" };

    public static IReadOnlyDictionary<string, BuiltinFunction> Functions { get; } = new Dictionary<string, BuiltinFunction>(StringComparer.Ordinal)
    {
        ["not"] = a => !GoValues.IsTrue(Exactly(a, 1, "not")[0]),
        ["len"] = a => Length(Exactly(a, 1, "len")[0]),
        ["index"] = Index,
        ["slice"] = Slice,
        ["print"] = GoPrintf.Sprint,
        ["println"] = GoPrintf.Sprintln,
        ["printf"] = a => a.Count == 0 ? throw new GoRenderException("wrong number of args for printf: want at least 1 got 0")
            : GoPrintf.Sprintf(a[0] as string ?? throw new GoRenderException("printf's first argument must be a format string"), [.. a.Skip(1)]),
        ["html"] = a => Escapers.HtmlEscapeString(GoPrintf.Sprint(a)),
        ["js"] = a => Escapers.JsEscapeString(GoPrintf.Sprint(a)),
        ["urlquery"] = a => Escapers.QueryEscape(GoPrintf.Sprint(a)),
        ["eq"] = Eq,
        ["ne"] = a => !Equal(Exactly(a, 2, "ne")[0], a[1]),
        ["lt"] = a => Compare(Exactly(a, 2, "lt")[0], a[1]) < 0,
        ["le"] = a => Compare(Exactly(a, 2, "le")[0], a[1]) <= 0,
        ["gt"] = a => Compare(Exactly(a, 2, "gt")[0], a[1]) > 0,
        ["ge"] = a => Compare(Exactly(a, 2, "ge")[0], a[1]) >= 0,
    };

    public static bool IsBuiltin(string name) => Lazy.Contains(name) || Functions.ContainsKey(name);

    private static IReadOnlyList<object?> Exactly(IReadOnlyList<object?> args, int count, string name) =>
        args.Count == count ? args : throw new GoRenderException($"wrong number of args for {name}: want {count} got {args.Count}");

    private static object Length(object? value) => GoValues.Normalize(Plain(value)) switch
    {
        string s => (long)Encoding.UTF8.GetByteCount(s),
        ICollection c => (long)c.Count,
        var other => throw new GoRenderException($"len of type {GoValues.KindOf(other)}"),
    };

    private static object? Index(IReadOnlyList<object?> args)
    {
        if (args.Count == 0)
        {
            throw new GoRenderException("wrong number of args for index: want at least 1 got 0");
        }
        var item = GoValues.Normalize(Plain(args[0]));
        foreach (var key in args.Skip(1).Select(a => GoValues.Normalize(Plain(a))))
        {
            item = item switch
            {
                null => throw new GoRenderException("index of untyped nil"),
                IDictionary map => key is string k ? (map.Contains(k) ? GoValues.Normalize(map[k]) : null) : throw new GoRenderException($"value has type {GoValues.KindOf(key)}; should be string"),
                IList list => key is long i ? (i >= 0 && i < list.Count ? GoValues.Normalize(list[(int)i]) : throw new GoRenderException($"error calling index: index out of range: {i}")) : throw new GoRenderException($"cannot index slice/array with type {GoValues.KindOf(key)}"),
                string s => key is long i ? (i >= 0 && i < s.Length ? (long)s[(int)i] : throw new GoRenderException($"error calling index: index out of range: {i}")) : throw new GoRenderException($"cannot index string with type {GoValues.KindOf(key)}"),
                var other => throw new GoRenderException($"can't index item of type {GoValues.KindOf(other)}"),
            };
        }
        return item;
    }

    private static object? Slice(IReadOnlyList<object?> args)
    {
        if (args.Count is 0 or > 4)
        {
            throw new GoRenderException($"wrong number of args for slice: want 1 to 4 got {args.Count}");
        }
        var item = GoValues.Normalize(Plain(args[0]));
        var length = item switch
        {
            string s => s.Length,
            IList l => l.Count,
            var other => throw new GoRenderException($"can't slice item of type {GoValues.KindOf(other)}"),
        };
        var indexes = args.Skip(1).Select(a => GoValues.Normalize(Plain(a)) is long i ? (int)i : throw new GoRenderException("cannot index slice/array with nil or non-integer")).ToList();
        if (item is string && indexes.Count == 3)
        {
            throw new GoRenderException("cannot 3-index slice a string");
        }
        var from = indexes.Count > 0 ? indexes[0] : 0;
        var to = indexes.Count > 1 ? indexes[1] : length;
        if (from < 0 || to < from || to > length)
        {
            throw new GoRenderException($"error calling slice: index out of range: {(to > length ? to : from)}");
        }
        return item is string str ? str[from..to] : ((IList)item!).Cast<object?>().Skip(from).Take(to - from).ToList();
    }

    private static object Eq(IReadOnlyList<object?> args)
    {
        if (args.Count < 2)
        {
            throw new GoRenderException("missing argument for comparison");
        }
        return args.Skip(1).Any(a => Equal(args[0], a));
    }

    private static bool Equal(object? a, object? b)
    {
        a = GoValues.Normalize(Plain(a));
        b = GoValues.Normalize(Plain(b));
        return (a, b) switch
        {
            (null, null) => true,
            (null, _) or (_, null) => false,
            (long x, long y) => x == y,
            (double x, double y) => x == y,
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            (bool x, bool y) => x == y,
            (GoTime x, GoTime y) => x.Value == y.Value,
            _ when a.GetType() == b.GetType() && a is not (IList or IDictionary) => a.Equals(b),
            _ => throw new GoRenderException($"incompatible types for comparison: {GoValues.KindOf(a)} and {GoValues.KindOf(b)}"),
        };
    }

    private static int Compare(object? a, object? b)
    {
        a = GoValues.Normalize(Plain(a));
        b = GoValues.Normalize(Plain(b));
        return (a, b) switch
        {
            (long x, long y) => x.CompareTo(y),
            (double x, double y) => x.CompareTo(y),
            (string x, string y) => string.CompareOrdinal(x, y),
            _ when a?.GetType() == b?.GetType() => throw new GoRenderException($"invalid type for comparison: {GoValues.KindOf(a)}"),
            _ => throw new GoRenderException($"incompatible types for comparison: {GoValues.KindOf(a)} and {GoValues.KindOf(b)}"),
        };
    }

    private static object? Plain(object? value) => value is NoValue ? null : value;

    internal static string Describe(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
