namespace Mirage.TestKit;

/// <summary>One GET to a server that may not listen yet, for <see cref="Eventually"/> to repeat.</summary>
public static class HttpProbe
{
    /// <summary>The answer, or null while nothing answers (not listening yet, or a first answer slower than the client's timeout).</summary>
    public static async Task<HttpResponseMessage?> GetOrNullAsync(HttpClient client, Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            return await client.GetAsync(uri, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A slow first answer on a loaded machine; ask again.
            return null;
        }
    }
}
