using System.Globalization;
using System.Text;
using Mirage.Model.Backend;

namespace Mirage.Reconciler.Reconciling;

/// <summary>Reads Mirage's ownership tags off an observed task.</summary>
public static class TaskTags
{
    public const string Subdomain = "Subdomain";
    public const string Revision = "MirageRevision";
    public const string TaskIndex = "MirageTaskIndex";

    /// <summary>The subdomain from the base64url <c>Subdomain</c> tag; the raw value when it does not decode.</summary>
    public static string SubdomainOf(ObservedTask task)
    {
        var value = task.Tag(Subdomain) ?? "";
        try
        {
            var base64 = value.Replace('-', '+').Replace('_', '/');
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return value;
        }
    }

    public static long? RevisionOf(ObservedTask task) =>
        long.TryParse(task.Tag(Revision), NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : null;

    public static int? IndexOf(ObservedTask task) =>
        int.TryParse(task.Tag(TaskIndex), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
}
