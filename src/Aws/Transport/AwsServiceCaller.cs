using Mirage.Aws.Endpoints;
using Mirage.Aws.Errors;
using Mirage.Aws.Resilience;
using Polly;

namespace Mirage.Aws.Transport;

/// <summary>Signs and sends requests of one service through its resilience pipeline, mapping error responses to exceptions.</summary>
public sealed class AwsServiceCaller(HttpClient httpClient, AwsClientContext context, AwsService service)
{
    private readonly AwsEndpoint _endpoint = context.Endpoints.Resolve(service);

    public AwsEndpoint Endpoint => _endpoint;

    /// <summary>Sends with retries (when <paramref name="retryable"/>), the circuit breaker and a timeout per attempt.</summary>
    public async Task<AwsHttpResponse> SendAsync(string operation, Func<AwsHttpRequest> build, bool retryable, CancellationToken cancellationToken)
    {
        var resilienceContext = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        resilienceContext.Properties.Set(AwsResilienceKeys.Retryable, retryable);
        try
        {
            return await context.Pipelines.For(service).ExecuteAsync(
                static async (ctx, state) => await state.Caller.SendOnceAsync(state.Operation, state.Build(), ctx.CancellationToken),
                resilienceContext,
                (Caller: this, Operation: operation, Build: build));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilienceContext);
        }
    }

    /// <summary>
    /// Like <see cref="SendAsync(string, Func{AwsHttpRequest}, bool, CancellationToken)"/>, but each attempt first asks
    /// <paramref name="beforeAttempt"/> whether an earlier attempt already took effect; if so that result is returned
    /// and nothing is sent.
    /// </summary>
    public async Task<AttemptOutcome<TExisting>> SendAsync<TExisting>(
        string operation,
        Func<AwsHttpRequest> build,
        bool retryable,
        CancellationToken cancellationToken,
        Func<CancellationToken, Task<TExisting?>> beforeAttempt)
        where TExisting : class
    {
        var resilienceContext = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        resilienceContext.Properties.Set(AwsResilienceKeys.Retryable, retryable);
        try
        {
            return await context.Pipelines.For(service).ExecuteAsync(
                static async (ctx, state) =>
                {
                    if (await state.BeforeAttempt(ctx.CancellationToken) is { } existing)
                    {
                        return new AttemptOutcome<TExisting>(existing, null);
                    }
                    return new AttemptOutcome<TExisting>(null, await state.Caller.SendOnceAsync(state.Operation, state.Build(), ctx.CancellationToken));
                },
                resilienceContext,
                (Caller: this, Operation: operation, Build: build, BeforeAttempt: beforeAttempt));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilienceContext);
        }
    }

    /// <summary>
    /// One signed attempt, no retries; it waits for a token of the service's rate limiter first. The attempt (not the
    /// wait) is measured: a span and the AWS call metrics, by <paramref name="operation"/> and outcome.
    /// </summary>
    public async Task<AwsHttpResponse> SendOnceAsync(string operation, AwsHttpRequest request, CancellationToken cancellationToken)
    {
        if (context.RateLimiters.For(service) is { } limiter)
        {
            await limiter.AcquireAsync(cancellationToken);
        }
        using var call = context.Telemetry.Start(service.Name, operation);
        try
        {
            var response = await SendSignedAsync(request, cancellationToken);
            context.RateLimiters.Observe(service, throttled: false);
            call.Succeeded((int)response.StatusCode);
            return response;
        }
        catch (AwsServiceException e)
        {
            context.RateLimiters.Observe(service, throttled: e.IsThrottling);
            call.Failed(e, cancellationToken);
            throw;
        }
        catch (Exception e)
        {
            call.Failed(e, cancellationToken);
            throw;
        }
    }

    private async Task<AwsHttpResponse> SendSignedAsync(AwsHttpRequest request, CancellationToken cancellationToken)
    {
        var credentials = await context.Credentials.GetAsync(cancellationToken);
        using var message = new HttpRequestMessage(request.Method, new Uri(BaseUri(), request.PathAndQuery.TrimStart('/')));
        if (request.Body.Length > 0 || request.Method != HttpMethod.Get)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }
        foreach (var (name, value) in request.SignedHeaders)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        IEnumerable<string> signed = request.ContentType is null
            ? request.SignedHeaders.Select(h => h.Key)
            : [.. request.SignedHeaders.Select(h => h.Key), "content-type"];
        context.Signer.Sign(message, request.Body, credentials, _endpoint.SigningRegion, service.SigningName, signed);

        using var response = await httpClient.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = response.Headers.Concat(response.Content.Headers)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(",", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        if (!response.IsSuccessStatusCode)
        {
            throw AwsErrorParser.Parse(service.Name, response.StatusCode, headers, body);
        }
        return new AwsHttpResponse(response.StatusCode, headers, body);
    }

    // The endpoint may carry a path (a proxy prefix); keep it as the base of every request.
    private Uri BaseUri()
    {
        var text = _endpoint.Url.ToString();
        return new Uri(text.EndsWith('/') ? text : text + "/", UriKind.Absolute);
    }
}
