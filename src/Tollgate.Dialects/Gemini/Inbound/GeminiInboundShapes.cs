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
