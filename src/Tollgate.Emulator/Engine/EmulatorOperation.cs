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
    GeminiCountTokens,
    GeminiEmbedContent,
    GeminiBatchEmbedContents,
    NotFound,

    /// <summary>OpenAI's Responses API, <c>POST /v1/responses</c>.</summary>
    Responses,

    /// <summary><c>POST /v1/responses/input_tokens</c>: a Responses request's input token count.</summary>
    ResponsesInputTokens,

    /// <summary><c>GET</c> / <c>POST</c> / <c>DELETE /_emulator/faults</c>: the instance's fault rule.</summary>
    ControlFaults,

    /// <summary><c>GET</c> / <c>DELETE /_emulator/requests</c>: the instance's request counters.</summary>
    ControlRequests,
}
