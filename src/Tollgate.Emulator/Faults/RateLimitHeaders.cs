using System.Globalization;
using Tollgate.Emulator.Dialects;

namespace Tollgate.Emulator.Faults;

/// <summary>
/// The rate-limit headers each provider sends: OpenAI's (and Groq's, ...) <c>x-ratelimit-*</c>, Anthropic's
/// <c>anthropic-ratelimit-*</c>. Gemini sends none (only <c>RetryInfo</c> in a 429 body), so neither does its dialect.
/// </summary>
internal static class RateLimitHeaders
{
    /// <summary>The requests limit reported by a <c>rate_limit</c> fault on an instance without a quota.</summary>
    public const int DefaultRequestLimit = 60;

    /// <summary>The tokens limit reported by a <c>rate_limit</c> fault (the emulator has no token quota, so all of it remains).</summary>
    public const int DefaultTokenLimit = 100_000;

    /// <summary>The headers of a 429: no request left, reset after <paramref name="retrySeconds"/>, and <c>Retry-After</c>.</summary>
    public static List<KeyValuePair<string, string>> Refused(EmulatorDialect dialect, QuotaSnapshot? quota, int retrySeconds, DateTimeOffset now)
    {
        var limit = Text(quota?.Limit ?? DefaultRequestLimit);
        var tokens = Text(DefaultTokenLimit);
        var retry = Text(retrySeconds);
        return dialect switch
        {
            EmulatorDialect.OpenAI =>
            [
                new("x-ratelimit-limit-requests", limit),
                new("x-ratelimit-limit-tokens", tokens),
                new("x-ratelimit-remaining-requests", "0"),
                new("x-ratelimit-remaining-tokens", tokens),
                new("x-ratelimit-reset-requests", Duration(retrySeconds)),
                new("x-ratelimit-reset-tokens", "0s"),
                new("Retry-After", retry),
            ],
            EmulatorDialect.Anthropic =>
            [
                new("anthropic-ratelimit-requests-limit", limit),
                new("anthropic-ratelimit-requests-remaining", "0"),
                new("anthropic-ratelimit-requests-reset", Rfc3339(now.AddSeconds(retrySeconds))),
                new("anthropic-ratelimit-tokens-limit", tokens),
                new("anthropic-ratelimit-tokens-remaining", tokens),
                new("anthropic-ratelimit-tokens-reset", Rfc3339(now)),
                new("Retry-After", retry),
            ],
            _ => [new("Retry-After", retry)],
        };
    }

    /// <summary>The headers of any other answer on an instance with a quota: how many requests remain and when the window resets.</summary>
    public static List<KeyValuePair<string, string>> Remaining(EmulatorDialect dialect, QuotaSnapshot quota, DateTimeOffset now) => dialect switch
    {
        EmulatorDialect.OpenAI =>
        [
            new("x-ratelimit-limit-requests", Text(quota.Limit)),
            new("x-ratelimit-remaining-requests", Text(quota.Remaining)),
            new("x-ratelimit-reset-requests", Duration(quota.ResetSeconds)),
        ],
        EmulatorDialect.Anthropic =>
        [
            new("anthropic-ratelimit-requests-limit", Text(quota.Limit)),
            new("anthropic-ratelimit-requests-remaining", Text(quota.Remaining)),
            new("anthropic-ratelimit-requests-reset", Rfc3339(now.AddSeconds(quota.ResetSeconds))),
        ],
        _ => [],
    };

    /// <summary>Whether a header list already reports the remaining requests (a 429 written by <see cref="Refused"/>).</summary>
    public static bool ReportsRemaining(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, _) in headers)
        {
            if (name is "x-ratelimit-remaining-requests" or "anthropic-ratelimit-requests-remaining")
            {
                return true;
            }
        }

        return false;
    }

    // OpenAI writes durations as Go does: "1s", "6m0s", "1h2m3s".
    private static string Duration(int seconds)
    {
        var t = TimeSpan.FromSeconds(seconds);
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes}m{t.Seconds}s"
            : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds}s"
            : $"{t.Seconds}s";
    }

    // Anthropic writes reset times as RFC 3339 instants.
    private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
