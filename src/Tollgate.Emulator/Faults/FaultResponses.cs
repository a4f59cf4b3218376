using System.Globalization;
using Tollgate.Emulator.Dialects;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Faults;

/// <summary>The error answers of the <c>rate_limit</c>, <c>overloaded</c> and <c>context_length</c> faults, each in the dialect's own words.</summary>
internal static class FaultResponses
{
    /// <summary>The context windows reported when a request sets no <c>context_window</c>: today's common sizes per API.</summary>
    public static long DefaultContextWindow(EmulatorDialect dialect, bool embeddings) => dialect switch
    {
        EmulatorDialect.Anthropic => 200_000,
        EmulatorDialect.Gemini => 1_048_576,
        _ => embeddings ? 8192 : 128_000,
    };

    /// <summary>429 with <c>Retry-After</c> and the provider's rate-limit headers.</summary>
    public static EmulatorResponse RateLimit(EmulatorDialect dialect, string? model, int retrySeconds, QuotaSnapshot? quota, DateTimeOffset now)
    {
        var limit = quota?.Limit ?? RateLimitHeaders.DefaultRequestLimit;
        var error = dialect switch
        {
            EmulatorDialect.Anthropic => new EmulatorError(429,
                $"This request would exceed the rate limit for your organization of {limit} requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please try again later.",
                "rate_limit_error", null, null),
            EmulatorDialect.Gemini => new EmulatorError(429,
                "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
                "resource_exhausted", null, null),
            _ => new EmulatorError(429,
                $"Rate limit reached for {model ?? "requests"} in organization org-emulator on requests per min (RPM): Limit {limit}, Used {limit}, Requested 1. Please try again in {retrySeconds}s. Visit https://platform.openai.com/account/rate-limits to learn more.",
                "requests", null, "rate_limit_exceeded"),
        };
        return Json(error, dialect, retrySeconds, RateLimitHeaders.Refused(dialect, quota, retrySeconds, now));
    }

    /// <summary>Anthropic's 529 <c>overloaded_error</c>; the others' 503 (Gemini <c>UNAVAILABLE</c>); with <c>Retry-After</c>.</summary>
    public static EmulatorResponse Overloaded(EmulatorDialect dialect, int retrySeconds)
    {
        var error = dialect switch
        {
            EmulatorDialect.Anthropic => new EmulatorError(529, "Overloaded", "overloaded_error", null, null),
            EmulatorDialect.Gemini => new EmulatorError(503, "The model is overloaded. Please try again later.", "unavailable", null, null),
            _ => EmulatorError.ForStatus(503),
        };
        return Json(error, dialect, retrySeconds, [new("Retry-After", retrySeconds.ToString(CultureInfo.InvariantCulture))]);
    }

    /// <summary>
    /// The context-window-exceeded 400 as each API words it, for a prompt of <paramref name="promptTokens"/> against a
    /// window of <paramref name="window"/> (the count is raised past the window when a forced fault finds it smaller).
    /// </summary>
    public static EmulatorResponse ContextLength(EmulatorDialect dialect, bool embeddings, long promptTokens, long window)
    {
        var n = Math.Max(promptTokens, window + 1);
        var error = dialect switch
        {
            EmulatorDialect.Anthropic => EmulatorError.InvalidRequest($"prompt is too long: {n} tokens > {window} maximum"),
            EmulatorDialect.Gemini => EmulatorError.InvalidRequest($"The input token count ({n}) exceeds the maximum number of tokens allowed ({window})."),
            _ when embeddings => EmulatorError.InvalidRequest(
                $"This model's maximum context length is {window} tokens, however you requested {n} tokens ({n} in your prompt; 0 for the completion). Please reduce your prompt; or completion length."),
            _ => EmulatorError.InvalidRequest(
                $"This model's maximum context length is {window} tokens. However, your messages resulted in {n} tokens. Please reduce the length of the messages.",
                "messages", "context_length_exceeded"),
        };
        return Json(error, dialect, null, []);
    }

    private static EmulatorResponse Json(EmulatorError error, EmulatorDialect dialect, int? retrySeconds, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var body = DialectErrors.Write(error, dialect, retrySeconds);
        return new EmulatorResponse
        {
            StatusCode = error.Status,
            Headers = headers,
            WriteBodyAsync = (stream, ct) => stream.WriteAsync(body, ct).AsTask(),
        };
    }
}
