using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Tollgate.Dialects.Anthropic;

/// <summary>
/// Translates a non-streaming Anthropic Messages response (or error) into OpenAI's chat completion shape.
/// </summary>
/// <remarks>
/// Text blocks are joined into <c>content</c>; <c>tool_use</c> blocks become <c>tool_calls</c> with the input
/// re-serialized as the <c>arguments</c> string; thinking blocks become <c>reasoning_content</c> (their text
/// joined) and <c>thinking_blocks</c> (each with its signature, to be sent back unchanged in the next turn).
/// Server-side tool blocks (<c>server_tool_use</c>, <c>*_tool_result</c>) ran at Anthropic and are not the
/// client's to execute, so they are left out.
/// </remarks>
public static class AnthropicResponseTranslator
{
    /// <summary>Translates an Anthropic message body into a <c>chat.completion</c>.</summary>
    /// <param name="anthropicMessageJson">The upstream's 200 response body.</param>
    /// <param name="options">Timestamp, reported model, JSON tool name and pricing.</param>
    /// <param name="result">The translated body and usage.</param>
    /// <returns>False when the body is not an Anthropic message (malformed upstream response).</returns>
    public static bool TryTranslate(ReadOnlySpan<byte> anthropicMessageJson, AnthropicResponseOptions options, out AnthropicResponseResult? result)
    {
        ArgumentNullException.ThrowIfNull(options);
        result = null;
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(anthropicMessageJson);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            try
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
                {
                    return false;
                }

                var accumulator = new AnthropicUsageAccumulator();
                if (root.TryGetProperty("usage", out var usageElement))
                {
                    accumulator.Apply(usageElement);
                }

                var usage = accumulator.ToTokenUsage();
                var text = new StringBuilder();
                var reasoning = new StringBuilder();
                var hasText = false;
                var hasReasoning = false;
                var toolCalls = 0;
                var jsonToolUsed = false;
                foreach (var block in content.EnumerateArray())
                {
                    switch (AnthropicMapping.GetString(block, "type"))
                    {
                        case "text":
                            text.Append(AnthropicMapping.GetString(block, "text"));
                            hasText = true;
                            break;
                        case "thinking":
                            reasoning.Append(AnthropicMapping.GetString(block, "thinking"));
                            hasReasoning = true;
                            break;
                        case "tool_use" when options.JsonToolName is not null && AnthropicMapping.GetString(block, "name") == options.JsonToolName:
                            text.Append(block.TryGetProperty("input", out var jsonInput) ? jsonInput.GetRawText() : "{}");
                            hasText = true;
                            jsonToolUsed = true;
                            break;
                        case "tool_use":
                            toolCalls++;
                            break;
                    }
                }

                var stopReason = AnthropicMapping.GetString(root, "stop_reason");
                var finishReason = AnthropicMapping.FinishReason(stopReason);
                if (jsonToolUsed && toolCalls == 0 && finishReason == "tool_calls")
                {
                    // The schema tool is ours, not the client's: to the client this is a finished answer.
                    finishReason = "stop";
                }

                var buffer = new ArrayBufferWriter<byte>(1024);
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartObject();
                    writer.WriteString("id"u8, AnthropicMapping.GetString(root, "id") ?? string.Empty);
                    writer.WriteString("object"u8, "chat.completion"u8);
                    writer.WriteNumber("created"u8, options.Created);
                    writer.WriteString("model"u8, options.Model ?? AnthropicMapping.GetString(root, "model") ?? string.Empty);
                    writer.WriteStartArray("choices"u8);
                    writer.WriteStartObject();
                    writer.WriteNumber("index"u8, 0);
                    writer.WriteStartObject("message"u8);
                    writer.WriteString("role"u8, "assistant"u8);
                    if (hasText)
                    {
                        writer.WriteString("content"u8, text.ToString());
                    }
                    else
                    {
                        writer.WriteNull("content"u8);
                    }

                    if (stopReason == "refusal" && root.TryGetProperty("stop_details", out var details) && AnthropicMapping.GetString(details, "explanation") is { } explanation)
                    {
                        writer.WriteString("refusal"u8, explanation);
                    }

                    if (hasReasoning)
                    {
                        writer.WriteString("reasoning_content"u8, reasoning.ToString());
                    }

                    WriteThinkingBlocks(writer, content);
                    if (toolCalls > 0)
                    {
                        writer.WriteStartArray("tool_calls"u8);
                        foreach (var block in content.EnumerateArray())
                        {
                            if (AnthropicMapping.GetString(block, "type") != "tool_use" || AnthropicMapping.GetString(block, "name") is not { } name || name == options.JsonToolName)
                            {
                                continue;
                            }

                            writer.WriteStartObject();
                            writer.WriteString("id"u8, AnthropicMapping.GetString(block, "id") ?? string.Empty);
                            writer.WriteString("type"u8, "function"u8);
                            writer.WriteStartObject("function"u8);
                            writer.WriteString("name"u8, name);
                            writer.WriteString("arguments"u8, block.TryGetProperty("input", out var input) ? input.GetRawText() : "{}");
                            writer.WriteEndObject();
                            writer.WriteEndObject();
                        }

                        writer.WriteEndArray();
                    }

                    writer.WriteEndObject();
                    writer.WriteNull("logprobs"u8);
                    if (finishReason is null)
                    {
                        writer.WriteNull("finish_reason"u8);
                    }
                    else
                    {
                        writer.WriteString("finish_reason"u8, finishReason);
                    }

                    writer.WriteEndObject();
                    writer.WriteEndArray();
                    writer.WritePropertyName("usage"u8);
                    AnthropicUsage.ToOpenAIUsageJson(usage, options.Cost?.Invoke(usage), writer);
                    writer.WriteEndObject();
                }

                result = new AnthropicResponseResult(buffer.WrittenSpan.ToArray(), usage, finishReason);
                return true;
            }
            catch (InvalidOperationException)
            {
                // Valid JSON of the wrong shape (an array where an object belongs): not a message we can read.
                result = null;
                return false;
            }
        }
    }

    /// <summary>
    /// Rewrites an Anthropic error body (<c>{"type":"error","error":{type,message}}</c>) in OpenAI's error shape,
    /// with a status chosen from the error type (overloaded becomes 503, which OpenAI clients retry).
    /// </summary>
    /// <param name="anthropicErrorJson">The upstream's error body; anything unparseable gets a generic message.</param>
    /// <param name="upstreamStatus">The upstream's HTTP status, used when the type is unknown.</param>
    /// <returns>The status and body for the client.</returns>
    public static TranslatedError TranslateError(ReadOnlySpan<byte> anthropicErrorJson, int upstreamStatus)
    {
        string? type = null;
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(anthropicErrorJson);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error))
            {
                type = AnthropicMapping.GetString(error, "type");
                message = AnthropicMapping.GetString(error, "message");
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): fall through to a generic error.
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            AnthropicMapping.WriteOpenAIError(writer, type, message);
        }

        return new TranslatedError(AnthropicMapping.ErrorStatus(type, upstreamStatus), buffer.WrittenSpan.ToArray());
    }

    private static void WriteThinkingBlocks(Utf8JsonWriter writer, JsonElement content)
    {
        var started = false;
        foreach (var block in content.EnumerateArray())
        {
            var type = AnthropicMapping.GetString(block, "type");
            if (type is not ("thinking" or "redacted_thinking"))
            {
                continue;
            }

            if (!started)
            {
                writer.WriteStartArray("thinking_blocks"u8);
                started = true;
            }

            // Copied verbatim: the signature (or redacted data) must come back byte for byte.
            block.WriteTo(writer);
        }

        if (started)
        {
            writer.WriteEndArray();
        }
    }
}
