using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.Configuration;

public sealed class RoutingSectionTests
{
    [Fact]
    public void Load_RoutingSection_ReadsEveryField()
    {
        var options = ConfigFile.Load("""
            {"routing": {"retries": 0, "backoff_ms": 250, "max_backoff_ms": 1000,
                         "breaker": {"failures": 3, "window_s": 10, "open_s": 2.5, "failure_ratio": 1},
                         "first_byte_timeout_s": 7.5, "idle_timeout_s": 15}}
            """);

        var r = options.Routing;
        Assert.Equal(0, r.Retries);
        Assert.Equal(TimeSpan.FromMilliseconds(250), r.Backoff);
        Assert.Equal(TimeSpan.FromSeconds(1), r.MaxBackoff);
        Assert.Equal(new BreakerOptions { Failures = 3, Window = TimeSpan.FromSeconds(10), Open = TimeSpan.FromSeconds(2.5), FailureRatio = 1 }, r.Breaker);
        Assert.Equal(TimeSpan.FromSeconds(7.5), r.FirstByteTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), r.IdleTimeout);
    }

    [Fact]
    public void Load_BreakerFailuresZero_BreakerOff()
    {
        var options = ConfigFile.Load("""{"routing": {"breaker": {"failures": 0}}}""");

        Assert.False(options.Routing.Breaker.Enabled);
    }

    [Theory]
    [InlineData("""{"routing": {"retries": -1}}""", "tollgate.json: routing.retries: must be 0 or more, not -1")]
    [InlineData("""{"routing": {"first_byte_timeout_s": -5}}""", "tollgate.json: routing.first_byte_timeout_s: must be more than 0, not -5")]
    [InlineData("""{"routing": {"idle_timeout_s": 0}}""", "tollgate.json: routing.idle_timeout_s: must be more than 0, not 0")]
    [InlineData("""{"routing": {"idle_timeout_s": "long"}}""", "tollgate.json: routing.idle_timeout_s: must be a number")]
    [InlineData("""{"routing": {"backoff_ms": 500, "max_backoff_ms": 100}}""", "tollgate.json: routing.max_backoff_ms: must be at least backoff_ms (500)")]
    [InlineData("""{"routing": {"breaker": {"failures": 1}}}""", "tollgate.json: routing.breaker.failures: must be 0 (no breaker) or at least 2 (Polly's smallest minimum throughput)")]
    [InlineData("""{"routing": {"breaker": {"window_s": 0.1}}}""", "tollgate.json: routing.breaker.window_s: must be 0.5 or more, not 0.1")]
    [InlineData("""{"routing": {"breaker": {"failure_ratio": 1.5}}}""", "tollgate.json: routing.breaker.failure_ratio: must be at most 1, not 1.5")]
    [InlineData("""{"routing": {"breaker": {"failures": 5, "open": 30}}}""", "tollgate.json: routing.breaker.open: unknown field (known: failures, window_s, open_s, failure_ratio)")]
    [InlineData("""{"routing": {"retry": 3}}""", "tollgate.json: routing.retry: unknown field (known: retries, backoff_ms, max_backoff_ms, breaker, first_byte_timeout_s, idle_timeout_s)")]
    [InlineData("""{"upstream_timeout_seconds": -1}""", "tollgate.json: upstream_timeout_seconds: must be more than 0, not -1")]
    [InlineData("""{"max_request_body_bytes": 0}""", "tollgate.json: max_request_body_bytes: must be 1 or more, not 0")]
    [InlineData("""{"demo": "yes"}""", "tollgate.json: demo: must be true or false")]
    public void Load_BadRoutingValue_ErrorNamesFileAndField(string json, string expected)
    {
        Assert.Equal(expected, ConfigFile.Error(json));
    }
}
