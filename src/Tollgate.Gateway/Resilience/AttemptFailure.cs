namespace Tollgate.Gateway.Resilience;

/// <summary>
/// A failed attempt as the retry policy sees it: its kind, the status (for <see cref="FailureKind.Status"/>), the
/// <c>Retry-After</c> the upstream asked for, and whether the error body says the prompt is too long (see
/// <see cref="FailureClassifier.IsContextLengthError(ReadOnlySpan{byte})"/>).
/// </summary>
internal readonly record struct AttemptFailure(FailureKind Kind, int Status = 0, TimeSpan? RetryAfter = null, bool ContextLengthExceeded = false)
{
    public static AttemptFailure Connect => new(FailureKind.Connect);

    public static AttemptFailure Timeout => new(FailureKind.Timeout);

    public static AttemptFailure FromStatus(int status, TimeSpan? retryAfter = null, bool contextLengthExceeded = false) =>
        new(FailureKind.Status, status, retryAfter, contextLengthExceeded);

    /// <summary>Classifies a status answer from its error body (UTF-8).</summary>
    public static AttemptFailure FromStatus(int status, ReadOnlySpan<byte> body, TimeSpan? retryAfter = null) =>
        new(FailureKind.Status, status, retryAfter, FailureClassifier.IsContextLengthError(status, body));

    public FailureClass Class => FailureClassifier.Classify(this);
}
