namespace Mirage.Model.Metrics;

/// <summary>
/// Requests counted for one route in one minute since the previous snapshot. <see cref="RouteKey"/> is the route's
/// subdomain as registered: the pattern (e.g. <c>foo-*</c>) for wildcard routes, as mirage-ecs keys its counters.
/// </summary>
/// <param name="Minute">Start of the one-minute bucket (UTC, whole minute).</param>
public sealed record AccessCountSample(string RouteKey, DateTimeOffset Minute, long Count);
