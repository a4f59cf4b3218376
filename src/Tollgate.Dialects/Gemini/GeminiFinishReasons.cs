namespace Tollgate.Dialects.Gemini;

/// <summary>Gemini <c>finishReason</c> to OpenAI <c>finish_reason</c>.</summary>
internal static class GeminiFinishReasons
{
    /// <summary>
    /// STOP is <c>tool_calls</c> when the candidate called functions (Gemini says STOP there too), MAX_TOKENS is
    /// <c>length</c>, every safety, recitation, blocklist and prohibited-content reason is <c>content_filter</c>, and
    /// anything else (OTHER, MALFORMED_FUNCTION_CALL, LANGUAGE, ...) is <c>stop</c>, OpenAI having no closer value.
    /// </summary>
    public static string Map(string? finishReason, bool hasToolCalls) => finishReason switch
    {
        "MAX_TOKENS" => "length",
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY"
            or "IMAGE_PROHIBITED_CONTENT" or "IMAGE_RECITATION" => "content_filter",
        _ when hasToolCalls => "tool_calls",
        _ => "stop",
    };
}
