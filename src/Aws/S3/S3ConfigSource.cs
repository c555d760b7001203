using Microsoft.Extensions.DependencyInjection;
using Mirage.Aws.Errors;
using Mirage.Model.Configuration;

namespace Mirage.Aws.S3;

/// <summary>
/// Reads the configuration file from <c>s3://bucket/key</c> (mirage-ecs's <c>-conf s3://…</c>). The config is read
/// before the host exists, so this source builds its own S3 client (region and endpoint from the environment) the
/// first time it is asked for an s3:// location.
/// </summary>
public sealed class S3ConfigSource : IConfigSource, IDisposable
{
    private readonly Func<S3ObjectStore> _createStore;
    private ServiceProvider? _provider;
    private S3ObjectStore? _store;

    public S3ConfigSource(Action<Configuration.AwsOptions>? configure = null)
    {
        _createStore = () =>
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddMirageAws(configure);
            _provider = services.BuildServiceProvider();
            return _provider.GetRequiredService<S3ObjectStore>();
        };
    }

    public bool CanRead(string location) => S3Location.IsS3(location);

    public async Task<ConfigText> ReadAsync(string location, CancellationToken cancellationToken) =>
        await ReadIfChangedAsync(location, null, cancellationToken)
        ?? throw new InvalidOperationException("an unconditional read answered 'not modified'");

    /// <summary>A conditional GET by ETag: an unchanged object costs S3 no transfer, and answers null.</summary>
    public async Task<ConfigText?> ReadIfChangedAsync(string location, string? knownVersion, CancellationToken cancellationToken)
    {
        S3Location s3;
        try
        {
            s3 = S3Location.Parse(location);
        }
        catch (FormatException e)
        {
            throw new ConfigException(location, null, null, e.Message);
        }
        if (s3.Key.Length == 0 || s3.Key.EndsWith('/'))
        {
            throw new ConfigException(location, null, null, "the URL names a folder; name the file, as in s3://bucket/path/file.yml");
        }
        S3ConditionalRead read;
        try
        {
            _store ??= _createStore();
            read = knownVersion is null
                ? new S3ConditionalRead(await _store.GetTextAsync(s3.Bucket, s3.Key, cancellationToken), NotModified: false)
                : await _store.GetTextIfChangedAsync(s3.Bucket, s3.Key, knownVersion, cancellationToken);
        }
        catch (AwsServiceException e)
        {
            throw new ConfigException(location, null, null, $"cannot be read from S3 ({e.Code}: {e.ErrorMessage}); check the bucket, the key and s3:GetObject permission");
        }
        catch (FileTooLargeException)
        {
            throw new ConfigException(location, null, null, FileTooLargeException.TooLarge);
        }
        catch (Exception e) when (e is InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            // AWS settings (region, endpoint) that do not work.
            throw new ConfigException(location, null, null, $"cannot be read from S3: {e.Message}");
        }
        return read switch
        {
            { NotModified: true } => null,
            { Object: { } text } => new ConfigText(text.Text, location, text.ETag),
            _ => throw new ConfigException(location, null, null, "object not found in S3; check the bucket and the key in the URL"),
        };
    }

    public void Dispose() => _provider?.Dispose();
}
