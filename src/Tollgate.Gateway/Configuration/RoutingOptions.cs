namespace Tollgate.Gateway.Configuration;

/// <summary>Retries, backoff, breakers and timeouts of routed requests (the <c>routing</c> section of <c>tollgate.json</c>).</summary>
public sealed record RoutingOptions
{
    /// <summary>Further attempts within one model group after its first (on its other deployments, or the same one after a backoff).</summary>
    public int Retries { get; init; } = 2;

    /// <summary>The first backoff before retrying the same deployment (<c>backoff_ms</c>); it doubles per retry.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest backoff (<c>max_backoff_ms</c>).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMilliseconds(5000);

    public BreakerOptions Breaker { get; init; } = new();

    /// <summary>Time to the upstream's response headers and, for streams, to its first event (<c>first_byte_timeout_s</c>).</summary>
    public TimeSpan FirstByteTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest pause between two events of a stream (<c>idle_timeout_s</c>).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);
}
