namespace Mirage.Edge.Dispatch;

/// <summary>What a request's Host asks for (mirage-ecs §3.1).</summary>
public enum HostKind
{
    /// <summary>Neither the web API host nor under the proxy suffix: the ALB health answer.</summary>
    Health,

    /// <summary>Equal to <c>host.webapi</c>: the API/UI pipeline.</summary>
    WebApi,

    /// <summary>Under <c>reverse_proxy_suffix</c>: an environment, if a route serves the subdomain.</summary>
    Environment,

    /// <summary>Under the suffix but unusable as a subdomain (e.g. a first label longer than DNS allows).</summary>
    NotFound,

    /// <summary>Not a host name at all.</summary>
    Invalid,
}
