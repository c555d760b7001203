using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mirage.Model.Routing;

namespace Mirage.Model.Tests.Routing;

/// <summary>PathPattern against <see cref="GoPathMatchModel"/>, on generated patterns and names.</summary>
public sealed class PathPatternPropertyTests
{
    private static readonly Config Thorough = Config.QuickThrowOnFailure.WithMaxTest(3000);

    // Small alphabets so that matches, near misses and malformed classes all happen often. "😀" is one scalar but two
    // UTF-16 units: '?' and classes must take it whole, as Go takes a whole rune.
    private static readonly string[] PatternTokens = ["a", "b", "-", "*", "?", "[", "]", "^", "\\", "/", "😀"];
    private static readonly string[] StructuredTokens =
        ["a", "b", "-", "*", "*", "?", "[ab]", "[^a]", "[a-b]", "[b-a]", "[\\]]", "[😀]", "[^😀]", "\\*", "\\a", "[]", "[a-]", "[-a]", "[a", "\\"];
    private static readonly string[] NameTokens = ["a", "b", "-", "/", "*", "]", "😀"];

    private static Gen<string> Concat(string[] tokens, int maxLength) =>
        Gen.Choose(0, maxLength).SelectMany(n => Gen.ArrayOf(Gen.Elements(tokens), n)).Select(string.Concat);

    // A name "instantiated" from the pattern: wildcards replaced by plausible text, class and escape syntax dropped or
    // kept at random. Gives many matches and near misses that random names rarely hit.
    private static Gen<string> NameLike(string pattern) =>
        Gen.CollectToArray(pattern.EnumerateRunes().Select(r => r.ToString() switch
        {
            "*" => Concat(NameTokens, 3),
            "?" => Gen.Elements(NameTokens),
            "[" or "]" or "^" or "\\" => Gen.Elements("", r.ToString()),
            var literal => Gen.Constant(literal),
        })).Select(string.Concat);

    private static Gen<(string Pattern, string Name)> WithNames(Gen<string> patterns, int maxNameLength) =>
        patterns.SelectMany(pattern => Gen.OneOf(Concat(NameTokens, maxNameLength), NameLike(pattern)).Select(name => (pattern, name)));

    private static Gen<(string Pattern, string Name)> SmallAlphabetCases() =>
        WithNames(Gen.OneOf(Concat(PatternTokens, 8), Concat(StructuredTokens, 5)), 7);

    // Realistic: label-like words with some of them replaced by wildcards, hosts built from the same words.
    private static readonly string[] Words = ["foo", "bar", "baz", "api", "pr", "1", "42", "x"];
    private static readonly string[] WildParts = ["*", "?", "[0-9]", "[a-f]", "[^x]", "ba?", "f*", "*z"];

    private static Gen<string> Label(string[] parts) =>
        Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements(parts), n)).Select(p => string.Join("-", p));

    private static Gen<(string Pattern, string Name)> RealisticCases() =>
        Label([.. Words, .. WildParts]).SelectMany(pattern =>
            Gen.OneOf(Label(Words), Label(Words).Select(suffix => pattern.Replace("*", suffix, StringComparison.Ordinal).Replace('?', 'a')))
                .Select(name => (pattern, name)));

    [Fact]
    public void AgreesWithTheReferenceModelOnSmallAlphabets()
    {
        var tally = new Tally();
        Prop.ForAll(Arb.From(SmallAlphabetCases()), c => tally.Check(c.Pattern, c.Name)).Check(Thorough);

        // The generator must exercise every outcome, or agreement would prove little.
        Assert.True(tally.Matched > 150, $"only {tally.Matched} matches");
        Assert.True(tally.NotMatched > 150, $"only {tally.NotMatched} non-matches");
        Assert.True(tally.Malformed > 150, $"only {tally.Malformed} malformed patterns");
    }

    [Fact]
    public void AgreesWithTheReferenceModelOnRealisticSubdomains()
    {
        var tally = new Tally();
        Prop.ForAll(Arb.From(RealisticCases()), c => tally.Check(c.Pattern, c.Name)).Check(Thorough);

        Assert.True(tally.Matched > 100, $"only {tally.Matched} matches");
        Assert.True(tally.NotMatched > 100, $"only {tally.NotMatched} non-matches");
    }

    [Property(MaxTest = 3000)]
    public Property IsValidAgreesWithTheReferenceModel()
    {
        return Prop.ForAll(Arb.From(Gen.OneOf(Concat(PatternTokens, 8), Concat(StructuredTokens, 5))), pattern =>
            Assert.Equal(GoPathMatchModel.Match(pattern, "x") is not null, PathPattern.IsValid(pattern)));
    }

    [Theory]
    [InlineData("a?b", "a😀b", true)]
    [InlineData("a??b", "a😀b", false)]
    [InlineData("a[😀]b", "a😀b", true)]
    [InlineData("a[^😀]b", "a😀b", false)]
    [InlineData("[^a]", "😀", true)]
    [InlineData("*?", "😀", true)]
    // Go (which steps '*' by bytes) says true here; whole characters keep the documented meaning. Never seen for ASCII.
    [InlineData("*??", "😀", false)]
    [InlineData("-*[^😀][^😀]", "-b^😀][😀]", false)]
    public void TakesASurrogatePairAsOneCharacterLikeGo(string pattern, string name, bool expected)
    {
        Assert.True(PathPattern.TryMatch(pattern, name, out var matched));
        Assert.Equal(expected, matched);
        Assert.Equal(expected, GoPathMatchModel.Match(pattern, name));
    }

    [Fact]
    public void GoAnswersLeftmostChunkFirst()
    {
        // [^a] fits first at '[', leaving "a]/" for the last '*', which cannot take '/'. Go answers false; a
        // backtracking reading of the grammar (the model) answers true. PathPattern keeps Go's answer.
        Assert.True(PathPattern.TryMatch("*[^a]*", "[a]/", out var matched));
        Assert.False(matched);
        Assert.True(GoPathMatchModel.Match("*[^a]*", "[a]/"));
    }

    private sealed class Tally
    {
        public int Matched { get; private set; }
        public int NotMatched { get; private set; }
        public int Malformed { get; private set; }
        public int Undecided { get; private set; }

        // Go matches chunk by chunk, taking the leftmost place where a chunk fits and never revisiting it. That is
        // full backtracking as long as a '*' could have absorbed whatever the leftmost choice skipped; the one thing a
        // '*' cannot absorb is '/', and only a character class can match a '/'. So with a '/' in the name and a class
        // in the pattern, Go may say no where the grammar says yes (see GoAnswersLeftmostChunkFirst); the model cannot
        // decide those, and hosts never contain '/'.
        private static bool GoDepartsFromTheModel(string pattern, string name) =>
            name.Contains('/', StringComparison.Ordinal) && pattern.Contains('[', StringComparison.Ordinal);

        public void Check(string pattern, string name)
        {
            var expected = GoPathMatchModel.Match(pattern, name);
            var wellFormed = PathPattern.TryMatch(pattern, name, out var matched);
            Assert.True(expected is not null == wellFormed, $"pattern {pattern} name {name}: model says malformed={expected is null}");
            if (expected is not null && GoDepartsFromTheModel(pattern, name))
            {
                Undecided++;
            }
            else if (expected is { } expectedMatch)
            {
                Assert.True(expectedMatch == matched, $"pattern {pattern} name {name}: model says {expectedMatch}");
                Assert.Equal(expectedMatch, PathPattern.Match(pattern, name));
                if (expectedMatch) { Matched++; } else { NotMatched++; }
            }
            else
            {
                Assert.Throws<FormatException>(() => PathPattern.Match(pattern, name));
                Malformed++;
            }
        }
    }
}
