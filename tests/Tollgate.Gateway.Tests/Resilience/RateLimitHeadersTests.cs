using Tollgate.Gateway.Resilience;

namespace Tollgate.Gateway.Tests.Resilience;

public sealed class RateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1s", 1000)]
    [InlineData("6m0s", 360_000)]
    [InlineData("20ms", 20)]
    [InlineData("2m59.56s", 179_560)]
    [InlineData("1h2m3s", 3_723_000)]
    [InlineData("7.66s", 7660)]
    [InlineData("0s", 0)]
    [InlineData("30", 30_000)]
    public void TryParseDuration_OpenAiFormat_Parses(string text, double ms)
    {
        Assert.True(RateLimitHeaders.TryParseDuration(text, out var d));
        Assert.Equal(ms, d.TotalMilliseconds, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("5x")]
    [InlineData("m5")]
    public void TryParseDuration_Garbage_False(string text)
    {
        Assert.False(RateLimitHeaders.TryParseDuration(text, out _));
    }

    [Fact]
    public void TryParseRetryAfter_SecondsOrHttpDate_Parses()
    {
        Assert.True(RateLimitHeaders.TryParseRetryAfter("30", Now, out var a));
        Assert.Equal(Now.AddSeconds(30), a);
        Assert.True(RateLimitHeaders.TryParseRetryAfter("Sun, 01 Mar 2026 12:02:00 GMT", Now, out var b));
        Assert.Equal(Now.AddMinutes(2), b);
        Assert.False(RateLimitHeaders.TryParseRetryAfter("later", Now, out _));
    }

    [Fact]
    public void Read_OpenAiHeaders_RemainingWithResetTimes()
    {
        var headers = new Dictionary<string, string>
        {
            ["x-ratelimit-remaining-requests"] = "59",
            ["x-ratelimit-reset-requests"] = "1s",
            ["x-ratelimit-remaining-tokens"] = "149984",
            ["x-ratelimit-reset-tokens"] = "6m0s",
        };

        var s = RateLimitHeaders.Read(headers.GetValueOrDefault, Now);

        Assert.Equal(new RateLimitSnapshot(59, Now.AddSeconds(1), 149984, Now.AddMinutes(6), null), s);
    }

    [Fact]
    public void Read_AnthropicHeaders_Rfc3339Resets()
    {
        var headers = new Dictionary<string, string>
        {
            ["anthropic-ratelimit-requests-remaining"] = "0",
            ["anthropic-ratelimit-requests-reset"] = "2026-03-01T12:00:40Z",
            ["anthropic-ratelimit-tokens-remaining"] = "12000",
            ["anthropic-ratelimit-tokens-reset"] = "2026-03-01T12:01:00Z",
            ["retry-after"] = "40",
        };

        var s = RateLimitHeaders.Read(headers.GetValueOrDefault, Now);

        Assert.Equal(new RateLimitSnapshot(0, Now.AddSeconds(40), 12000, Now.AddMinutes(1), Now.AddSeconds(40)), s);
    }

    [Fact]
    public void Read_NoHeaders_Empty()
    {
        Assert.True(RateLimitHeaders.Read(_ => null, Now).IsEmpty);
    }
}
