namespace Mirage.Api.Web.Pages;

/// <summary>Which environment variable or parameter names look secret: the UI shows their values masked.</summary>
public static class SecretNames
{
    public const string Mask = "••••••";

    private static readonly string[] Markers = ["SECRET", "TOKEN", "PASSWORD", "PASSWD", "KEY", "CREDENTIAL", "PRIVATE", "AUTH", "COOKIE", "SESSION", "CERT"];

    public static bool LooksSecret(string name) => Markers.Any(m => name.Contains(m, StringComparison.OrdinalIgnoreCase));

    public static string Shown(string name, string value) => LooksSecret(name) ? Mask : value;
}
