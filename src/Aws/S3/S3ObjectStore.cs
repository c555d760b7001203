using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Mirage.Aws.Endpoints;
using Mirage.Aws.Errors;
using Mirage.Aws.Resilience;
using Mirage.Model.Configuration;
using Polly;

namespace Mirage.Aws.S3;

/// <summary>Small text objects in S3 (config, templates, intents): read with ETag, conditional write, list by prefix.</summary>
public sealed class S3ObjectStore(IAmazonS3 s3, AwsResiliencePipelines pipelines)
{
    private readonly ResiliencePipeline _pipeline = pipelines.For(AwsService.S3);

    /// <summary>The object's text and ETag, or null when the key does not exist.</summary>
    public async Task<S3TextObject?> GetTextAsync(string bucket, string key, CancellationToken cancellationToken) =>
        (await GetAsync(bucket, key, null, cancellationToken)).Object;

    /// <summary>
    /// A conditional GET (<c>If-None-Match</c>): while the object's ETag is still <paramref name="knownETag"/>, S3 sends
    /// no body and the answer says <see cref="S3ConditionalRead.NotModified"/>.
    /// </summary>
    public Task<S3ConditionalRead> GetTextIfChangedAsync(string bucket, string key, string knownETag, CancellationToken cancellationToken) =>
        GetAsync(bucket, key, knownETag, cancellationToken);

    private async Task<S3ConditionalRead> GetAsync(string bucket, string key, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(async ct =>
            {
                var request = new GetObjectRequest { BucketName = bucket, Key = key };
                if (ifNoneMatch is not null)
                {
                    request.EtagToNotMatch = ifNoneMatch;
                }
                using var response = await s3.GetObjectAsync(request, ct);
                // Every object Mirage reads is small; a huge one (or a lying length) costs one bounded buffer.
                if (response.ContentLength > FileLimits.MaxBytes)
                {
                    throw new FileTooLargeException($"s3://{bucket}/{key}");
                }
                var text = await BoundedText.ReadAsync(response.ResponseStream, $"s3://{bucket}/{key}", ct);
                var lastModified = response.LastModified is { } at ? new DateTimeOffset(at.ToUniversalTime(), TimeSpan.Zero) : (DateTimeOffset?)null;
                return new S3ConditionalRead(new S3TextObject(key, text, response.ETag, lastModified), NotModified: false);
            }, "GetObject", cancellationToken);
        }
        catch (AwsServiceException e) when (e.StatusCode == HttpStatusCode.NotModified)
        {
            return new S3ConditionalRead(null, NotModified: true);
        }
        catch (AwsServiceException e) when (e.StatusCode == HttpStatusCode.NotFound && e.Code is not "NoSuchBucket")
        {
            // moto sends NoSuchKey with a text/html content type, so the SDK reports ErrorCode "NotFound": go by status.
            return new S3ConditionalRead(null, NotModified: false);
        }
    }

    /// <summary>Writes the text; returns the new ETag. Throws <see cref="S3PreconditionFailedException"/> when the condition fails.</summary>
    public async Task<string> PutTextAsync(string bucket, string key, string text, S3WriteCondition condition, CancellationToken cancellationToken, string contentType = "application/json")
    {
        try
        {
            // A conditional write is safe to repeat: if the first attempt landed, the repeat fails its condition.
            return await RunAsync(async ct =>
            {
                var request = new PutObjectRequest
                {
                    BucketName = bucket,
                    Key = key,
                    ContentBody = text,
                    ContentType = contentType,
                    UseChunkEncoding = false,
                };
                if (condition.IfMatch is { } etag)
                {
                    request.IfMatch = etag;
                }
                if (condition.IfNoneMatch is { } noneMatch)
                {
                    request.IfNoneMatch = noneMatch;
                }
                var response = await s3.PutObjectAsync(request, ct);
                return response.ETag;
            }, "PutObject", cancellationToken);
        }
        catch (AwsServiceException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            throw new S3PreconditionFailedException(bucket, key, e);
        }
    }

    /// <summary>Removes the object; removing a missing key is not an error (S3 answers 204 either way).</summary>
    public Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken) =>
        RunAsync(ct => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, ct), "DeleteObject", cancellationToken);

    /// <summary>
    /// Removes the object only while its ETag is <paramref name="ifMatch"/> (S3's conditional delete); throws
    /// <see cref="S3PreconditionFailedException"/> when it changed. An object already gone (404) counts as removed.
    /// </summary>
    public async Task DeleteAsync(string bucket, string key, string ifMatch, CancellationToken cancellationToken)
    {
        try
        {
            // Safe to repeat: if the first attempt landed, the repeat finds no object.
            await RunAsync(ct => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key, IfMatch = ifMatch }, ct), "DeleteObject", cancellationToken);
        }
        catch (AwsServiceException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            throw new S3PreconditionFailedException(bucket, key, e);
        }
        catch (AwsServiceException e) when (e.StatusCode == HttpStatusCode.NotFound && e.Code is not "NoSuchBucket")
        {
            // Gone already: what the caller wanted.
        }
    }

    /// <summary>Every object under the prefix (ListObjectsV2, all pages).</summary>
    public async Task<IReadOnlyList<S3ObjectSummary>> ListAsync(string bucket, string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<S3ObjectSummary>();
        string? continuation = null;
        do
        {
            var token = continuation;
            var page = await RunAsync(ct => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token }, ct), "ListObjectsV2", cancellationToken);
            objects.AddRange((page.S3Objects ?? []).Select(o => new S3ObjectSummary(
                o.Key, o.ETag, o.Size ?? 0, o.LastModified is { } at ? new DateTimeOffset(at.ToUniversalTime(), TimeSpan.Zero) : null)));
            continuation = page.IsTruncated == true && !string.IsNullOrEmpty(page.NextContinuationToken) && page.NextContinuationToken != token
                ? page.NextContinuationToken
                : null;
        }
        while (continuation is not null);
        return objects;
    }

    // SDK errors become AwsServiceException so one retry policy covers every service.
    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, string operation, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(static async (ctx, state) =>
            {
                try
                {
                    return await state(ctx.CancellationToken);
                }
                catch (AmazonServiceException e)
                {
                    throw new AwsServiceException("S3", e.ErrorCode ?? $"Http{(int)e.StatusCode}", e.Message, e.StatusCode, e.RequestId, e);
                }
            }, context, call);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
