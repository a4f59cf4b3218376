namespace Tollgate.Dialects.Gemini;

/// <summary>What the OpenAI-shaped response needs that the Gemini response does not carry.</summary>
public sealed record GeminiResponseOptions
{
    /// <summary>The model name to report; Gemini's <c>modelVersion</c> when null.</summary>
    public string? Model { get; init; }

    /// <summary>The <c>created</c> Unix time in seconds (take it from a <see cref="TimeProvider"/>).</summary>
    public long Created { get; init; }

    /// <summary>The request's cost in USD, written as <c>usage.cost</c> when set.</summary>
    public decimal? Cost { get; init; }

    /// <summary>
    /// When true (the default), a tool call's thought signature is also encoded in its id
    /// (<c>call_{responseId}_{n}__ts_{base64url}</c>) so it comes back even from clients that drop
    /// <c>extra_content</c>; it is always written to <c>extra_content.google.thought_signature</c> as well.
    /// </summary>
    public bool EmbedThoughtSignatureInToolCallId { get; init; } = true;

    /// <summary>Include usage in the stream's final chunk (<c>stream_options.include_usage</c>).</summary>
    public bool IncludeStreamUsage { get; init; } = true;
}
