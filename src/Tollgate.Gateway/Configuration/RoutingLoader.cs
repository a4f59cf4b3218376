using System.Text.Json.Nodes;

namespace Tollgate.Gateway.Configuration;

/// <summary>
/// Reads the <c>routing</c> section of <c>tollgate.json</c>:
/// <c>{"retries": 2, "backoff_ms": 100, "max_backoff_ms": 5000, "breaker": {"failures": 5, "window_s": 30, "open_s": 30,
/// "failure_ratio": 0.5}, "first_byte_timeout_s": 60, "idle_timeout_s": 120}</c>; every field is optional.
/// </summary>
internal static class RoutingLoader
{
    public static RoutingOptions Read(JsonObject section, ConfigReader reader)
    {
        reader.OnlyFields(section, "routing", "retries", "backoff_ms", "max_backoff_ms", "breaker", "first_byte_timeout_s", "idle_timeout_s");
        var o = new RoutingOptions();
        if (section["retries"] is { } retries)
        {
            o = o with { Retries = reader.Int(retries, "routing.retries", 0) };
        }

        if (section["backoff_ms"] is { } backoff)
        {
            o = o with { Backoff = TimeSpan.FromMilliseconds(reader.Long(backoff, "routing.backoff_ms", 0)) };
        }

        if (section["max_backoff_ms"] is { } maxBackoff)
        {
            o = o with { MaxBackoff = TimeSpan.FromMilliseconds(reader.Long(maxBackoff, "routing.max_backoff_ms", 0)) };
        }

        if (o.MaxBackoff < o.Backoff)
        {
            throw reader.Error("routing.max_backoff_ms", $"must be at least backoff_ms ({o.Backoff.TotalMilliseconds})");
        }

        if (section["breaker"] is { } breaker)
        {
            o = o with { Breaker = ReadBreaker(reader.Object(breaker, "routing.breaker"), reader) };
        }

        if (section["first_byte_timeout_s"] is { } firstByte)
        {
            o = o with { FirstByteTimeout = reader.Seconds(firstByte, "routing.first_byte_timeout_s") };
        }

        if (section["idle_timeout_s"] is { } idle)
        {
            o = o with { IdleTimeout = reader.Seconds(idle, "routing.idle_timeout_s") };
        }

        return o;
    }

    // Polly refuses a minimum throughput below 2 and sampling or break durations below half a second.
    private static BreakerOptions ReadBreaker(JsonObject node, ConfigReader reader)
    {
        reader.OnlyFields(node, "routing.breaker", "failures", "window_s", "open_s", "failure_ratio");
        var b = new BreakerOptions();
        if (node["failures"] is { } failures)
        {
            var n = reader.Int(failures, "routing.breaker.failures", 0);
            b = n == 1
                ? throw reader.Error("routing.breaker.failures", "must be 0 (no breaker) or at least 2 (Polly's smallest minimum throughput)")
                : b with { Failures = n };
        }

        if (node["window_s"] is { } window)
        {
            b = b with { Window = TimeSpan.FromSeconds(reader.Number(window, "routing.breaker.window_s", 0.5)) };
        }

        if (node["open_s"] is { } open)
        {
            b = b with { Open = TimeSpan.FromSeconds(reader.Number(open, "routing.breaker.open_s", 0.5)) };
        }

        if (node["failure_ratio"] is { } ratio)
        {
            var r = reader.Number(ratio, "routing.breaker.failure_ratio", 0, exclusive: true);
            b = r > 1 ? throw reader.Error("routing.breaker.failure_ratio", $"must be at most 1, not {r}") : b with { FailureRatio = r };
        }

        return b;
    }
}
