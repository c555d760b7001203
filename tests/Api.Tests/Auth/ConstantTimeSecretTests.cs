using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mirage.Api.Auth;

namespace Mirage.Api.Tests.Auth;

public sealed class ConstantTimeSecretTests
{
    [Fact]
    public void Matches_only_the_exact_value()
    {
        var secret = new ConstantTimeSecret("s3cret");

        Assert.True(secret.Matches("s3cret"));
        Assert.False(secret.Matches("s3cre"));
        Assert.False(secret.Matches("s3crets"));
        Assert.False(secret.Matches("S3CRET"));
        Assert.False(secret.Matches(""));
        Assert.False(secret.Matches(null));
    }

    [Fact]
    public void Compares_utf8_bytes_ordinally()
    {
        // "é" precomposed and decomposed look alike but are different bytes.
        var secret = new ConstantTimeSecret("caf\u00e9");

        Assert.True(secret.Matches("caf\u00e9"));
        Assert.False(secret.Matches("cafe\u0301"));
    }

    [Property(MaxTest = 1000)]
    public Property Agrees_with_ordinal_equality_for_any_strings()
    {
        return Prop.ForAll(ArbMap.Default.ArbFor<NonEmptyString>(), ArbMap.Default.ArbFor<string>(), (secret, candidate) =>
        {
            var value = secret.Get;
            var compared = new ConstantTimeSecret(value);
            return compared.Matches(value)
                && compared.Matches(candidate) == string.Equals(value, candidate, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Empty_secret_is_refused_and_the_value_never_prints()
    {
        Assert.Throws<ArgumentException>(() => new ConstantTimeSecret(""));
        Assert.DoesNotContain("s3cret", new ConstantTimeSecret("s3cret").ToString(), StringComparison.Ordinal);
    }
}
