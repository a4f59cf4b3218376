using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Anthropic;

/// <summary>A translated non-streaming response.</summary>
/// <param name="Body">The OpenAI <c>chat.completion</c> JSON.</param>
/// <param name="Usage">The normalized usage, for settlement.</param>
/// <param name="FinishReason">The OpenAI finish reason written, or null.</param>
public sealed record AnthropicResponseResult(byte[] Body, TokenUsage Usage, string? FinishReason);
