using Microsoft.Extensions.Logging;
using Mirage.Aws.Errors;
using Mirage.Model.Configuration;

namespace Mirage.Aws.S3;

/// <summary>
/// <c>htmldir: s3://bucket/prefix/</c>: the first 100 objects under the prefix (by key) are downloaded once, by
/// basename, into a temporary folder that is deleted when Mirage stops. A local htmldir is used as it is.
/// </summary>
public sealed partial class S3HtmlDirResolver(MirageConfig config, S3ObjectStore store, Amazon.S3.IAmazonS3 s3, TimeProvider time, ILogger<S3HtmlDirResolver> logger)
    : IHtmlDirResolver, IDisposable
{
    public const int MaxObjects = 100;

    private readonly Lock _gate = new();
    private Task<string>? _resolved;
    private string? _tempFolder;

    public Task<string> ResolveAsync(CancellationToken cancellationToken)
    {
        if (!S3Location.IsS3(config.HtmlDir))
        {
            return Task.FromResult(config.HtmlDir);
        }
        lock (_gate)
        {
            // A failed download is tried again on the next call rather than cached.
            if (_resolved is null || _resolved.IsFaulted || _resolved.IsCanceled)
            {
                _resolved = DownloadAsync(S3Location.Parse(config.HtmlDir));
            }
            return _resolved.WaitAsync(cancellationToken);
        }
    }

    private async Task<string> DownloadAsync(S3Location location)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2), time);
        var token = timeout.Token;
        IReadOnlyList<S3ObjectSummary> objects;
        try
        {
            objects = await store.ListAsync(location.Bucket, location.Prefix, token);
        }
        catch (AwsServiceException e)
        {
            throw new ConfigException("htmldir", null, null, $"{location} cannot be listed ({e.Code}: {e.ErrorMessage}); check the bucket and s3:ListBucket permission");
        }
        var files = objects.Where(o => !o.Key.EndsWith('/')).OrderBy(o => o.Key, StringComparer.Ordinal).Take(MaxObjects).ToList();
        if (files.Count == 0)
        {
            throw new ConfigException("htmldir", null, null, $"no objects found in {location}; upload the templates (list.html, launcher.html…) there or point htmldir at a local folder");
        }
        var folder = Directory.CreateTempSubdirectory("mirage-html-").FullName;
        lock (_gate)
        {
            _tempFolder = folder;
        }
        if (files.FirstOrDefault(f => f.Size > FileLimits.MaxBytes) is { } tooLarge)
        {
            throw new ConfigException("htmldir", null, null, $"s3://{location.Bucket}/{tooLarge.Key}: {FileTooLargeException.TooLarge}");
        }
        foreach (var file in files)
        {
            var path = Path.Combine(folder, Path.GetFileName(file.Key));
            using var response = await s3.GetObjectAsync(location.Bucket, file.Key, token);
            await using var output = File.Create(path);
            await response.ResponseStream.CopyToAsync(output, token);
        }
        LogDownloaded(files.Count, location.ToString(), folder);
        return folder;
    }

    public void Dispose()
    {
        string? folder;
        lock (_gate)
        {
            folder = _tempFolder;
            _tempFolder = null;
        }
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "htmldir: downloaded {Count} objects from {Location} to {Folder}")]
    private partial void LogDownloaded(int count, string location, string folder);
}
