namespace Mirage.Model.Configuration;

/// <summary>Something in the file that is accepted but probably not what the author meant; the host logs it.</summary>
/// <param name="File">Display name of the file.</param>
/// <param name="Line">1-based line in the file as written, or null when the warning is not tied to a line.</param>
/// <param name="Message">What was found and what to do about it.</param>
public sealed record ConfigWarning(string File, int? Line, string Message)
{
    public override string ToString() => ConfigException.FormatMessage(File, Line, null, Message);
}
