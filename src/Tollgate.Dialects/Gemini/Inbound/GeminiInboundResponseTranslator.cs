using System.Buffers;
using System.Text.Json;
using Tollgate.Core.Usage;
using Tollgate.Dialects.OpenAI;

namespace Tollgate.Dialects.Gemini.Inbound;

/// <summary>
/// Translates an OpenAI <c>chat.completion</c> into Gemini's <c>GenerateContentResponse</c>: one candidate per
/// choice, its <c>reasoning_content</c> a thought part, its text a text part, its <c>tool_calls</c> <c>functionCall</c>
/// parts (the call's id kept in <c>functionCall.id</c>, so the answer finds its call), <c>usageMetadata</c> in
/// Gemini's counting, and the gateway's cost in a top-level <c>tollgate</c> object.
/// </summary>
public static class GeminiInboundResponseTranslator
{
    /// <summary>The Gemini response, or null when <paramref name="openAIResponse"/> is not a chat completion.</summary>
    /// <param name="openAIResponse">The OpenAI-shaped answer.</param>
    /// <param name="model">The model name the client asked for (<c>modelVersion</c>).</param>
    /// <param name="cost">Prices the usage.</param>
    public static byte[]? Translate(ReadOnlySpan<byte> openAIResponse, string model, Func<TokenUsage, decimal?> cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        try
        {
            using var doc = JsonDocument.Parse(openAIResponse.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var buffer = new ArrayBufferWriter<byte>(openAIResponse.Length + 256);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteStartArray("candidates");
                foreach (var choice in choices.EnumerateArray())
                {
                    WriteCandidate(w, choice);
                }

                w.WriteEndArray();
                TokenUsage? usage = null;
                if (root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object && OpenAIUsage.TryParse(System.Text.Encoding.UTF8.GetBytes(u.GetRawText()), out var parsed))
                {
                    usage = parsed;
                    GeminiInboundShapes.WriteUsage(w, parsed);
                }

                w.WriteString("modelVersion", model);
                if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    w.WriteString("responseId", id.GetString());
                }

                GeminiInboundShapes.WriteCost(w, usage is null ? null : cost(usage));
                w.WriteEndObject();
            }

            return buffer.WrittenSpan.ToArray();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static void WriteCandidate(Utf8JsonWriter w, JsonElement choice)
    {
        w.WriteStartObject();
        w.WriteStartObject("content");
        w.WriteStartArray("parts");
        var parts = 0;
        if (choice.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
        {
            if (message.TryGetProperty("thinking_blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array && blocks.GetArrayLength() > 0)
            {
                foreach (var block in blocks.EnumerateArray())
                {
                    GeminiInboundShapes.WriteThinkingBlock(w, block, withText: true);
                    parts++;
                }
            }
            else if (message.TryGetProperty("reasoning_content", out var reasoning) && reasoning.ValueKind == JsonValueKind.String && reasoning.GetString() is { Length: > 0 } thought)
            {
                GeminiInboundShapes.WriteTextPart(w, thought, thought: true);
                parts++;
            }

            if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } text)
            {
                GeminiInboundShapes.WriteTextPart(w, text, thought: false);
                parts++;
            }

            if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    var function = call.GetProperty("function");
                    GeminiInboundShapes.WriteFunctionCall(
                        w,
                        call.TryGetProperty("id", out var callId) ? callId.GetString() : null,
                        function.GetProperty("name").GetString() ?? "",
                        function.TryGetProperty("arguments", out var args) && args.ValueKind == JsonValueKind.String ? args.GetString()! : "{}");
                    parts++;
                }
            }
        }

        if (parts == 0)
        {
            GeminiInboundShapes.WriteTextPart(w, "", thought: false);
        }

        w.WriteEndArray();
        w.WriteString("role", "model");
        w.WriteEndObject();
        w.WriteString("finishReason", GeminiInboundShapes.FinishReason(choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null));
        w.WriteNumber("index", choice.TryGetProperty("index", out var index) && index.TryGetInt32(out var i) ? i : 0);
        w.WriteEndObject();
    }
}
