namespace Mirage.Model.Configuration;

/// <summary>Reads a configuration file from the local file system.</summary>
public sealed class FileConfigSource : IConfigSource
{
    public bool CanRead(string location) => !location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);

    public async Task<ConfigText> ReadAsync(string location, CancellationToken cancellationToken)
    {
        try
        {
            var text = await BoundedText.ReadFileAsync(location, cancellationToken);
            return new ConfigText(text, location);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigException(location, null, null, "config file not found; check the -conf flag or MIRAGE_CONF");
        }
        catch (FileTooLargeException)
        {
            throw new ConfigException(location, null, null, FileTooLargeException.TooLarge);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new ConfigException(location, null, null, $"config file cannot be read ({e.Message})");
        }
    }
}
