namespace Tollgate.Gateway.Resilience;

/// <summary>
/// Which upstream failures are worth another attempt. Retryable: connect errors, timeouts, a bad 2xx body, and the
/// statuses 429, 500, 502, 503, 504 and 529 (Anthropic's overloaded). A context-length error (a 4xx whose body says
/// the prompt does not fit) goes to <c>context_fallbacks</c>. Anything else (400, 401, 403, 404, 413, ...) is final:
/// another deployment would answer the same.
/// </summary>
internal static class FailureClassifier
{
    public static FailureClass Classify(in AttemptFailure failure) => failure.Kind switch
    {
        FailureKind.Connect or FailureKind.Timeout or FailureKind.BadResponse => FailureClass.Retryable,
        _ when failure.ContextLengthExceeded => FailureClass.ContextLength,
        _ => IsRetryableStatus(failure.Status) ? FailureClass.Retryable : FailureClass.Final,
    };

    public static bool IsRetryableStatus(int status) => status is 429 or 500 or 502 or 503 or 504 or 529;

    /// <summary>Whether a 4xx error body (UTF-8) says the prompt is longer than the model's context window.</summary>
    public static bool IsContextLengthError(int status, ReadOnlySpan<byte> body) =>
        status is >= 400 and < 500 && IsContextLengthError(body);

    /// <summary>
    /// Whether an error body (UTF-8) is a context-length error in one of the providers' own words: OpenAI's code
    /// <c>context_length_exceeded</c>, Anthropic's "prompt is too long" (and "input length and `max_tokens` exceed
    /// context limit"), Gemini's "exceeds the maximum number of tokens".
    /// </summary>
    public static bool IsContextLengthError(ReadOnlySpan<byte> body) =>
        body.IndexOf("context_length_exceeded"u8) >= 0
        || body.IndexOf("prompt is too long"u8) >= 0
        || body.IndexOf("exceed context limit"u8) >= 0
        || body.IndexOf("exceeds the maximum number of tokens"u8) >= 0;
}
