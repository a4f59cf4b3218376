namespace Tollgate.Gateway.Resilience;

/// <summary>What one upstream response said of its rate limits; each part null when the provider did not say.</summary>
internal readonly record struct RateLimitSnapshot(
    long? RemainingRequests,
    DateTimeOffset? RequestsResetAt,
    long? RemainingTokens,
    DateTimeOffset? TokensResetAt,
    DateTimeOffset? RetryAt)
{
    public bool IsEmpty => RemainingRequests is null && RemainingTokens is null && RetryAt is null;
}
