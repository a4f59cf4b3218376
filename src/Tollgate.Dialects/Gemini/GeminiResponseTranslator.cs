using System.Buffers;
using System.Text;
using System.Text.Json;
using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Gemini;

/// <summary>
/// Translates a Gemini <c>GenerateContentResponse</c> into an OpenAI <c>chat.completion</c>.
/// </summary>
/// <remarks>
/// <para>Each candidate is a choice: text parts (not marked <c>thought</c>) are joined into <c>content</c>,
/// thought parts into <c>reasoning_content</c>, and <c>functionCall</c> parts become <c>tool_calls</c> with the
/// arguments as a compact JSON string.</para>
/// <para>Thought signatures: a function call's <c>thoughtSignature</c> is written to the tool call's
/// <c>extra_content.google.thought_signature</c> (Google's convention) and, unless turned off, also inside its
/// made-up id (<c>call_{responseId}_{n}__ts_{base64url}</c>), the primary carrier because every client echoes
/// ids unchanged. A signature on a text part goes to the message's <c>extra_content.google.thought_signature</c>.
/// <see cref="GeminiRequestTranslator"/> reads all of these back.</para>
/// <para>A prompt blocked outright (<c>promptFeedback.blockReason</c>, no candidates) is one empty choice with
/// <c>finish_reason: content_filter</c>.</para>
/// </remarks>
public static class GeminiResponseTranslator
{
    /// <summary>Translates a successful (HTTP 200) response body.</summary>
    /// <exception cref="JsonException">The body is not JSON (an upstream fault, not a client error).</exception>
    public static GeminiResponseTranslation Translate(ReadOnlySpan<byte> generateContentResponseJson, GeminiResponseOptions? options = null)
    {
        options ??= new GeminiResponseOptions();
        var reader = new Utf8JsonReader(generateContentResponseJson);
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;

        var responseId = String(root, "responseId");
        var usage = root.TryGetProperty("usageMetadata", out var um) ? GeminiUsage.Parse(um) : TokenUsage.Empty;
        string? firstFinish = null;

        var buffer = new ArrayBufferWriter<byte>(generateContentResponseJson.Length + 512);
        using (var w = new Utf8JsonWriter(buffer, GeminiJson.Writer))
        {
            w.WriteStartObject();
            w.WriteString("id", "chatcmpl-" + (responseId ?? "gemini"));
            w.WriteString("object", "chat.completion");
            w.WriteNumber("created", options.Created);
            w.WriteString("model", options.Model ?? String(root, "modelVersion") ?? string.Empty);
            w.WriteStartArray("choices");

            var toolIndex = 0;
            var wroteChoice = false;
            if (root.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array)
            {
                var position = 0;
                foreach (var candidate in candidates.EnumerateArray())
                {
                    var finish = WriteChoice(w, candidate, position++, responseId, options, ref toolIndex);
                    firstFinish ??= finish;
                    wroteChoice = true;
                }
            }

            if (!wroteChoice)
            {
                // No candidates: the prompt itself was blocked (promptFeedback.blockReason).
                firstFinish = root.TryGetProperty("promptFeedback", out var feedback) && feedback.TryGetProperty("blockReason", out _)
                    ? "content_filter"
                    : "stop";
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                w.WriteStartObject("message");
                w.WriteString("role", "assistant");
                w.WriteNull("content");
                w.WriteEndObject();
                w.WriteNull("logprobs");
                w.WriteString("finish_reason", firstFinish);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WritePropertyName("usage");
            GeminiUsage.WriteOpenAIUsage(w, usage, options.Cost);
            w.WriteEndObject();
        }

        return new GeminiResponseTranslation(buffer.WrittenSpan.ToArray(), usage, firstFinish);
    }

    private static string WriteChoice(Utf8JsonWriter w, JsonElement candidate, int position, string? responseId, GeminiResponseOptions options, ref int toolIndex)
    {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        string? textSignature = null;
        var calls = new List<JsonElement>();
        if (candidate.TryGetProperty("content", out var content) && content.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in parts.EnumerateArray())
            {
                if (part.TryGetProperty("functionCall", out _))
                {
                    calls.Add(part);
                    continue;
                }

                var isThought = part.TryGetProperty("thought", out var t) && t.ValueKind == JsonValueKind.True;
                if (String(part, "text") is { } partText)
                {
                    (isThought ? reasoning : text).Append(partText);
                }

                if (!isThought && String(part, "thoughtSignature") is { } sig)
                {
                    textSignature = sig;
                }
            }
        }

        var finish = GeminiFinishReasons.Map(String(candidate, "finishReason"), calls.Count > 0);
        w.WriteStartObject();
        w.WriteNumber("index", candidate.TryGetProperty("index", out var idx) && idx.TryGetInt32(out var i) ? i : position);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        if (text.Length > 0 || calls.Count == 0)
        {
            w.WriteString("content", text.ToString());
        }
        else
        {
            w.WriteNull("content");
        }

        if (reasoning.Length > 0)
        {
            w.WriteString("reasoning_content", reasoning.ToString());
        }

        if (calls.Count > 0)
        {
            w.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                WriteToolCall(w, call, responseId, toolIndex++, index: null, options.EmbedThoughtSignatureInToolCallId);
            }

            w.WriteEndArray();
        }

        if (textSignature is not null)
        {
            WriteExtraContent(w, textSignature);
        }

        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", finish);
        w.WriteEndObject();
        return finish;
    }

    /// <summary>Writes one OpenAI tool call object for a part holding a <c>functionCall</c>.</summary>
    internal static void WriteToolCall(Utf8JsonWriter w, JsonElement part, string? responseId, int n, int? index, bool embedSignature)
    {
        var fc = part.GetProperty("functionCall");
        var signature = String(part, "thoughtSignature");
        w.WriteStartObject();
        if (index is { } streamIndex)
        {
            w.WriteNumber("index", streamIndex);
        }

        w.WriteString("id", GeminiToolCallIds.Make(responseId, n, signature, embedSignature));
        w.WriteString("type", "function");
        w.WriteStartObject("function");
        w.WriteString("name", String(fc, "name") ?? string.Empty);
        w.WriteString("arguments", CompactJson(fc.TryGetProperty("args", out var args) ? args : default));
        w.WriteEndObject();
        if (signature is not null)
        {
            WriteExtraContent(w, signature);
        }

        w.WriteEndObject();
    }

    internal static void WriteExtraContent(Utf8JsonWriter w, string signature)
    {
        w.WriteStartObject("extra_content");
        w.WriteStartObject("google");
        w.WriteString("thought_signature", signature);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string CompactJson(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Undefined || value.ValueKind == JsonValueKind.Null)
        {
            return "{}";
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, GeminiJson.Writer))
        {
            value.WriteTo(w);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
