namespace Tollgate.Emulator.Engine;

/// <summary>The API operation a request addresses.</summary>
internal enum EmulatorOperation
{
    ChatCompletions,
    Embeddings,
    Models,
    AnthropicMessages,
    AnthropicCountTokens,
    GeminiGenerateContent,
    GeminiStreamGenerateContent,
    NotFound,
}
