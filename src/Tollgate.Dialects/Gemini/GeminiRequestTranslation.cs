namespace Tollgate.Dialects.Gemini;

/// <summary>
/// The outcome of translating an OpenAI chat request for Gemini: either a request body, or an error for a 400.
/// </summary>
public sealed record GeminiRequestTranslation
{
    /// <summary>The Gemini <c>GenerateContentRequest</c> JSON, when translation succeeded.</summary>
    public byte[]? Body { get; init; }

    /// <summary>True when the client asked to stream (use <c>:streamGenerateContent?alt=sse</c>).</summary>
    public bool Stream { get; init; }

    /// <summary>The request's <c>model</c> (Gemini takes it in the URL, not the body).</summary>
    public string? Model { get; init; }

    /// <summary>Client parameters that were dropped because Gemini has no equivalent.</summary>
    public IReadOnlyList<string> UnsupportedParameters { get; init; } = [];

    /// <summary>Why the request cannot be sent; answer the client with a 400.</summary>
    public GeminiTranslationError? Error { get; init; }

    /// <summary>True when <see cref="Body"/> is set.</summary>
    public bool IsSuccess => Error is null && Body is not null;
}

/// <summary>A client error found while translating: the offending parameter (OpenAI's <c>param</c>) and why.</summary>
/// <param name="Param">The parameter path, e.g. <c>messages[2].tool_call_id</c>; null for the whole body.</param>
/// <param name="Message">A message for the client.</param>
public sealed record GeminiTranslationError(string? Param, string Message);
