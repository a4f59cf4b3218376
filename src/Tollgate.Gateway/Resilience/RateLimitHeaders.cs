using System.Globalization;

namespace Tollgate.Gateway.Resilience;

/// <summary>
/// Reads providers' rate-limit headers: OpenAI's (and Groq's, and most OpenAI-compatible providers')
/// <c>x-ratelimit-remaining-requests</c> / <c>-tokens</c> with <c>x-ratelimit-reset-requests</c> / <c>-tokens</c> as
/// durations (<c>1s</c>, <c>6m0s</c>, <c>20ms</c>, <c>2m59.56s</c>); Anthropic's
/// <c>anthropic-ratelimit-requests-remaining</c> / <c>-tokens-remaining</c> with <c>-reset</c> times in RFC 3339; and
/// <c>Retry-After</c> in seconds or as an HTTP date.
/// </summary>
internal static class RateLimitHeaders
{
    /// <summary>Reads the headers through <paramref name="header"/> (name to first value, null when absent).</summary>
    public static RateLimitSnapshot Read(Func<string, string?> header, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(header);
        var requests = Count(header("x-ratelimit-remaining-requests"));
        var requestsReset = requests is null ? null : After(header("x-ratelimit-reset-requests"), now);
        var tokens = Count(header("x-ratelimit-remaining-tokens"));
        var tokensReset = tokens is null ? null : After(header("x-ratelimit-reset-tokens"), now);

        if (Count(header("anthropic-ratelimit-requests-remaining")) is { } anthropicRequests)
        {
            requests = anthropicRequests;
            requestsReset = Time(header("anthropic-ratelimit-requests-reset"));
        }

        if (Count(header("anthropic-ratelimit-tokens-remaining")) is { } anthropicTokens)
        {
            tokens = anthropicTokens;
            tokensReset = Time(header("anthropic-ratelimit-tokens-reset"));
        }

        DateTimeOffset? retryAt = header("retry-after") is { } retryAfter && TryParseRetryAfter(retryAfter, now, out var at) ? at : null;
        return new RateLimitSnapshot(requests, requestsReset, tokens, tokensReset, retryAt);
    }

    /// <summary>
    /// Parses a Go-style duration as OpenAI sends it: a sequence of numbers with units <c>h</c>, <c>m</c>, <c>s</c>,
    /// <c>ms</c>, <c>us</c>/<c>µs</c>, <c>ns</c>, e.g. <c>6m0s</c>, <c>2m59.56s</c>, <c>20ms</c>; a bare number is seconds.
    /// </summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text.AsSpan().Trim();
        if (s.IsEmpty)
        {
            return false;
        }

        if (double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var bare))
        {
            duration = TimeSpan.FromSeconds(bare);
            return true;
        }

        double totalMs = 0;
        while (!s.IsEmpty)
        {
            var digits = 0;
            while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || !double.TryParse(s[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            s = s[digits..];
            var unit = 0;
            while (unit < s.Length && !char.IsAsciiDigit(s[unit]) && s[unit] != '.')
            {
                unit++;
            }

            double? perUnitMs = s[..unit] switch
            {
                "h" => 3_600_000,
                "m" => 60_000,
                "s" => 1000,
                "ms" => 1,
                "us" or "µs" => 0.001,
                "ns" => 0.000001,
                _ => null,
            };
            if (perUnitMs is not { } ms)
            {
                return false;
            }

            totalMs += value * ms;
            s = s[unit..];
        }

        duration = TimeSpan.FromMilliseconds(totalMs);
        return true;
    }

    /// <summary>Parses <c>Retry-After</c>: delay seconds (<c>30</c>, also <c>1.5</c>) or an HTTP date.</summary>
    public static bool TryParseRetryAfter(string? text, DateTimeOffset now, out DateTimeOffset until)
    {
        until = default;
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s))
        {
            return false;
        }

        if (double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            until = now + TimeSpan.FromSeconds(seconds);
            return true;
        }

        if (DateTimeOffset.TryParseExact(s, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            until = date;
            return true;
        }

        return false;
    }

    private static long? Count(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static DateTimeOffset? After(string? value, DateTimeOffset now) =>
        TryParseDuration(value, out var d) ? now + d : null;

    private static DateTimeOffset? Time(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
