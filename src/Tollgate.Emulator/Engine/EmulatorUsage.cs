using System.Text.Json;

namespace Tollgate.Emulator.Engine;

/// <summary>Usage numbers to report. Reasoning is a part of completion and cached a part of prompt, as OpenAI counts them.</summary>
internal sealed record EmulatorUsage(long PromptTokens, long CompletionTokens, long CachedTokens, long ReasoningTokens)
{
    /// <summary>The part of the prompt written to a 5-minute cache (Anthropic's <c>ephemeral_5m_input_tokens</c>).</summary>
    public long CacheWrite5mTokens { get; init; }

    /// <summary>The part of the prompt written to a 1-hour cache (Anthropic's <c>ephemeral_1h_input_tokens</c>).</summary>
    public long CacheWrite1hTokens { get; init; }

    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>Writes the <c>usage</c> property in OpenAI's chat shape.</summary>
    public void WriteChat(Utf8JsonWriter w)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", PromptTokens);
        w.WriteNumber("completion_tokens", CompletionTokens);
        w.WriteNumber("total_tokens", TotalTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", CachedTokens);
        w.WriteNumber("audio_tokens", 0);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details");
        w.WriteNumber("reasoning_tokens", ReasoningTokens);
        w.WriteNumber("audio_tokens", 0);
        w.WriteNumber("accepted_prediction_tokens", 0);
        w.WriteNumber("rejected_prediction_tokens", 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
