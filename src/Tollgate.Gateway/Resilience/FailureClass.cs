namespace Tollgate.Gateway.Resilience;

/// <summary>What a failed attempt means for the request.</summary>
internal enum FailureClass
{
    /// <summary>The deployment is unwell or busy (connect error, timeout, 429, 500, 502, 503, 504, 529): try elsewhere.</summary>
    Retryable,

    /// <summary>The prompt does not fit the model's context window: try the <c>context_fallbacks</c>.</summary>
    ContextLength,

    /// <summary>The request itself is wrong (400, 401, 403, 404, 413, ...): pass the provider's answer on.</summary>
    Final,
}
