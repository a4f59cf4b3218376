using System.Text.Json;
using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Gemini.Inbound;

/// <summary>The pieces of Gemini's response shapes the whole-response and stream translations share.</summary>
internal static class GeminiInboundShapes
{
    /// <summary>OpenAI's <c>finish_reason</c> as Gemini's <c>finishReason</c>.</summary>
    public static string FinishReason(string? openAI) => openAI switch
    {
        null or "stop" or "tool_calls" or "function_call" => "STOP",
        "length" => "MAX_TOKENS",
        "content_filter" => "SAFETY",
        _ => "OTHER",
    };

    /// <summary>
    /// <c>usageMetadata</c> as Gemini reports it: <c>promptTokenCount</c> holds the cached part, and
    /// <c>candidatesTokenCount</c> leaves out the thoughts, which <c>thoughtsTokenCount</c> counts.
    /// </summary>
    public static void WriteUsage(Utf8JsonWriter w, TokenUsage usage)
    {
        w.WriteStartObject("usageMetadata");
        w.WriteNumber("promptTokenCount", usage.PromptTokens);
        w.WriteNumber("candidatesTokenCount", usage.OutputTokens - usage.ReasoningTokens);
        if (usage.ReasoningTokens > 0)
        {
            w.WriteNumber("thoughtsTokenCount", usage.ReasoningTokens);
        }

        if (usage.CacheReadTokens > 0)
        {
            w.WriteNumber("cachedContentTokenCount", usage.CacheReadTokens);
        }

        w.WriteNumber("totalTokenCount", usage.TotalTokens);
        w.WriteEndObject();
    }

    /// <summary>
    /// The gateway's own member, <c>"tollgate":{"cost":...}</c>, at the top level: Google's SDKs copy only the members
    /// they know into their typed responses, so an unknown top-level member is dropped, never a validation error.
    /// </summary>
    public static void WriteCost(Utf8JsonWriter w, decimal? cost)
    {
        if (cost is { } c)
        {
            w.WriteStartObject("tollgate");
            w.WriteNumber("cost", Tollgate.Core.Pricing.Money.Normalize(c));
            w.WriteEndObject();
        }
    }

    /// <summary>A function call part, with its arguments as a JSON object (an unreadable arguments string becomes <c>{}</c>).</summary>
    public static void WriteFunctionCall(Utf8JsonWriter w, string? id, string name, string arguments)
    {
        w.WriteStartObject();
        w.WriteStartObject("functionCall");
        if (!string.IsNullOrEmpty(id))
        {
            w.WriteString("id", id);
        }

        w.WriteString("name", name);
        w.WritePropertyName("args");
        try
        {
            using var args = JsonDocument.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments);
            if (args.RootElement.ValueKind == JsonValueKind.Object)
            {
                args.RootElement.WriteTo(w);
            }
            else
            {
                w.WriteStartObject();
                w.WriteEndObject();
            }
        }
        catch (JsonException)
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The prefix that marks a <c>thoughtSignature</c> holding an Anthropic redacted thinking block's data.</summary>
    public const string RedactedPrefix = "redacted:";

    /// <summary>
    /// An OpenAI-shaped <c>thinking_blocks</c> entry (Anthropic's, with its signature) as a thought part whose
    /// <c>thoughtSignature</c> carries the signature, so a client that sends the turn back (as Gemini's SDKs do with
    /// every part) returns the block unchanged. <paramref name="withText"/> false when the text was already streamed.
    /// </summary>
    public static void WriteThinkingBlock(Utf8JsonWriter w, JsonElement block, bool withText)
    {
        var redacted = block.TryGetProperty("type", out var type) && type.ValueEquals("redacted_thinking");
        w.WriteStartObject();
        w.WriteString("text", withText && !redacted && block.TryGetProperty("thinking", out var t) ? t.GetString() : "");
        w.WriteBoolean("thought", true);
        w.WriteString("thoughtSignature", redacted
            ? RedactedPrefix + (block.TryGetProperty("data", out var d) ? d.GetString() : "")
            : block.TryGetProperty("signature", out var s) ? s.GetString() : "");
        w.WriteEndObject();
    }

    public static void WriteTextPart(Utf8JsonWriter w, string text, bool thought)
    {
        w.WriteStartObject();
        w.WriteString("text", text);
        if (thought)
        {
            w.WriteBoolean("thought", true);
        }

        w.WriteEndObject();
    }
}
