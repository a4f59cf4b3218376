using Tollgate.Emulator.Dialects;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Faults;

/// <summary>
/// The names of the counted endpoints, as the control endpoint reports them and a fault rule's <c>endpoints</c>
/// lists them, and the dialect each one speaks.
/// </summary>
internal static class EndpointNames
{
    /// <summary>In report order; the index is the counter slot.</summary>
    public static IReadOnlyList<string> All { get; } =
        ["chat_completions", "embeddings", "models", "messages", "count_tokens", "generate_content", "stream_generate_content", "not_found", "responses", "responses_input_tokens"];

    /// <summary>The counter slot of an operation, or -1 for the control endpoints (never counted).</summary>
    public static int Slot(EmulatorOperation operation) => operation switch
    {
        EmulatorOperation.ChatCompletions => 0,
        EmulatorOperation.Embeddings => 1,
        EmulatorOperation.Models => 2,
        EmulatorOperation.AnthropicMessages => 3,
        EmulatorOperation.AnthropicCountTokens => 4,
        EmulatorOperation.GeminiGenerateContent => 5,
        EmulatorOperation.GeminiStreamGenerateContent => 6,
        EmulatorOperation.NotFound => 7,
        EmulatorOperation.Responses => 8,
        EmulatorOperation.ResponsesInputTokens => 9,
        _ => -1,
    };

    /// <summary>The counter slot of an endpoint name, or -1 when there is no such endpoint.</summary>
    public static int Slot(string name)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    public static EmulatorDialect Dialect(EmulatorOperation operation) => operation switch
    {
        EmulatorOperation.AnthropicMessages or EmulatorOperation.AnthropicCountTokens => EmulatorDialect.Anthropic,
        EmulatorOperation.GeminiGenerateContent or EmulatorOperation.GeminiStreamGenerateContent => EmulatorDialect.Gemini,
        _ => EmulatorDialect.OpenAI,
    };
}
