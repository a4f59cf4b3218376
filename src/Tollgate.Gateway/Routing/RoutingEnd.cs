namespace Tollgate.Gateway.Routing;

/// <summary>
/// How a request's attempts ended. For <see cref="RoutingEndKind.NoneAvailable"/>: when
/// <see cref="QuotaExhausted"/> only quotas stood in the way (answer 429), otherwise circuits did (answer 503); either
/// way with <c>Retry-After</c> from <see cref="AvailableAt"/> when known.
/// </summary>
internal readonly record struct RoutingEnd(RoutingEndKind Kind, bool QuotaExhausted = false, DateTimeOffset? AvailableAt = null);
