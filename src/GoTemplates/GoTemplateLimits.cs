namespace Mirage.GoTemplates;

/// <summary>
/// How much work one execution may do. Go has no such limit; Mirage adds it because a template (a config from S3, an
/// htmldir) is hostile until it has run: <c>{{range 1000000000}}x{{end}}</c> or nested ranges printing nothing would
/// otherwise hold a core, or fill memory, at every start or page view.
/// </summary>
/// <param name="MaxSteps">Nodes evaluated plus range iterations.</param>
/// <param name="MaxOutputChars">Characters of output.</param>
public sealed record GoTemplateLimits(long MaxSteps, long MaxOutputChars)
{
    /// <summary>Far beyond what a real page or config needs (each row of a list page takes tens of steps).</summary>
    public static GoTemplateLimits Default { get; } = new(10_000_000, 16 * 1024 * 1024);
}
