using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Gemini;

/// <summary>A Gemini generateContent response translated to an OpenAI <c>chat.completion</c>.</summary>
/// <param name="Body">The OpenAI JSON body.</param>
/// <param name="Usage">The normalized usage (empty when Gemini reported none).</param>
/// <param name="FinishReason">The first choice's OpenAI finish reason.</param>
public sealed record GeminiResponseTranslation(byte[] Body, TokenUsage Usage, string? FinishReason);
