using System.Buffers;
using System.Text.Json;
using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Anthropic.Inbound;

/// <summary>
/// Translates an OpenAI <c>chat.completion</c> (or error) into Anthropic's Messages shape for clients of the
/// <c>/v1/messages</c> endpoint.
/// </summary>
public static class AnthropicInboundResponseTranslator
{
    /// <summary>Translates a <c>chat.completion</c> body into an Anthropic <c>message</c>.</summary>
    /// <param name="openAIResponseJson">The upstream's 200 body.</param>
    /// <param name="model">The model name to report; null reports the upstream's.</param>
    /// <param name="cost">Prices the usage so <c>usage.cost</c> is written; null leaves it out.</param>
    /// <param name="result">The Anthropic body and the normalized usage.</param>
    /// <returns>False when the body is not a chat completion.</returns>
    public static bool TryTranslate(ReadOnlySpan<byte> openAIResponseJson, string? model, Func<TokenUsage, decimal?>? cost, out AnthropicResponseResult? result)
    {
        result = null;
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(openAIResponseJson);
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
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
                {
                    return false;
                }

                var choice = choices[0];
                var message = choice.TryGetProperty("message", out var m) ? m : default;
                var usage = root.TryGetProperty("usage", out var u) ? OpenAIUsageReader.Read(u) : TokenUsage.Empty;
                var stopReason = StopReason(AnthropicMapping.GetString(choice, "finish_reason"));

                var buffer = new ArrayBufferWriter<byte>(1024);
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartObject();
                    writer.WriteString("id"u8, MessageId(AnthropicMapping.GetString(root, "id")));
                    writer.WriteString("type"u8, "message"u8);
                    writer.WriteString("role"u8, "assistant"u8);
                    writer.WriteString("model"u8, model ?? AnthropicMapping.GetString(root, "model") ?? string.Empty);
                    writer.WriteStartArray("content"u8);
                    WriteContent(writer, message);
                    writer.WriteEndArray();
                    writer.WriteString("stop_reason"u8, stopReason);
                    writer.WriteNull("stop_sequence"u8);
                    writer.WritePropertyName("usage"u8);
                    WriteAnthropicUsage(writer, usage, cost?.Invoke(usage));
                    writer.WriteEndObject();
                }

                result = new AnthropicResponseResult(buffer.WrittenSpan.ToArray(), usage, stopReason);
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
    /// Rewrites an OpenAI error body as Anthropic's <c>{"type":"error","error":{type,message}}</c>, keeping the status
    /// (a 503 becomes Anthropic's 529 overloaded, which its SDK retries).
    /// </summary>
    /// <param name="openAIErrorJson">The upstream's error body.</param>
    /// <param name="upstreamStatus">The upstream's status.</param>
    /// <returns>The status and body for the client.</returns>
    public static TranslatedError TranslateError(ReadOnlySpan<byte> openAIErrorJson, int upstreamStatus)
    {
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(openAIErrorJson);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error))
            {
                message = error.ValueKind == JsonValueKind.String ? error.GetString() : AnthropicMapping.GetString(error, "message");
            }
        }
        catch (JsonException)
        {
            // Not JSON: a generic message below.
        }

        var (status, type) = upstreamStatus switch
        {
            400 or 422 => (400, "invalid_request_error"),
            401 => (401, "authentication_error"),
            402 => (402, "billing_error"),
            403 => (403, "permission_error"),
            404 => (404, "not_found_error"),
            413 => (413, "request_too_large"),
            429 => (429, "rate_limit_error"),
            503 or 529 => (529, "overloaded_error"),
            504 => (504, "timeout_error"),
            _ => (upstreamStatus is >= 400 and <= 599 ? upstreamStatus : 502, "api_error"),
        };

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteAnthropicError(writer, type, message ?? "The upstream provider returned an error.");
        }

        return new TranslatedError(status, buffer.WrittenSpan.ToArray());
    }

    /// <summary>
    /// An Anthropic message id (<c>msg_...</c>) for an upstream's response id: <c>chatcmpl-abc</c> becomes
    /// <c>msg_abc</c>, so the id still names the upstream's response while looking like Anthropic's to its clients.
    /// </summary>
    internal static string MessageId(string? upstreamId) => upstreamId switch
    {
        null or "" => "msg_" + Guid.NewGuid().ToString("N"),
        _ when upstreamId.StartsWith("msg_", StringComparison.Ordinal) => upstreamId,
        _ when upstreamId.StartsWith("chatcmpl-", StringComparison.Ordinal) => "msg_" + upstreamId["chatcmpl-".Length..],
        _ => "msg_" + upstreamId,
    };

    /// <summary>Maps OpenAI's <c>finish_reason</c> to Anthropic's <c>stop_reason</c>.</summary>
    internal static string StopReason(string? finishReason) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    };

    /// <summary>Writes an Anthropic usage object: input excludes cache reads and writes, as Anthropic's does.</summary>
    internal static void WriteAnthropicUsage(Utf8JsonWriter writer, TokenUsage usage, decimal? cost)
    {
        writer.WriteStartObject();
        writer.WriteNumber("input_tokens"u8, usage.InputTokens);
        writer.WriteNumber("cache_creation_input_tokens"u8, usage.CacheWrite5mTokens + usage.CacheWrite1hTokens);
        writer.WriteNumber("cache_read_input_tokens"u8, usage.CacheReadTokens);
        writer.WriteStartObject("cache_creation"u8);
        writer.WriteNumber("ephemeral_5m_input_tokens"u8, usage.CacheWrite5mTokens);
        writer.WriteNumber("ephemeral_1h_input_tokens"u8, usage.CacheWrite1hTokens);
        writer.WriteEndObject();
        writer.WriteNumber("output_tokens"u8, usage.OutputTokens);
        if (cost is { } c)
        {
            writer.WriteNumber("cost"u8, c);
        }

        writer.WriteEndObject();
    }

    internal static void WriteAnthropicError(Utf8JsonWriter writer, string type, string message)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "error"u8);
        writer.WriteStartObject("error"u8);
        writer.WriteString("type"u8, type);
        writer.WriteString("message"u8, message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteContent(Utf8JsonWriter writer, JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        // Thinking first, as Anthropic orders it; blocks with signatures verbatim, bare reasoning as an unsigned block.
        if (message.TryGetProperty("thinking_blocks", out var thinkingBlocks) && thinkingBlocks.ValueKind == JsonValueKind.Array && thinkingBlocks.GetArrayLength() > 0)
        {
            foreach (var block in thinkingBlocks.EnumerateArray())
            {
                block.WriteTo(writer);
            }
        }
        else if ((AnthropicMapping.GetString(message, "reasoning_content") ?? AnthropicMapping.GetString(message, "reasoning")) is { Length: > 0 } reasoning)
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "thinking"u8);
            writer.WriteString("thinking"u8, reasoning);
            writer.WriteString("signature"u8, string.Empty);
            writer.WriteEndObject();
        }

        if ((AnthropicMapping.GetString(message, "content") ?? AnthropicMapping.GetString(message, "refusal")) is { Length: > 0 } text)
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "text"u8);
            writer.WriteString("text"u8, text);
            writer.WriteEndObject();
        }

        if (message.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in toolCalls.EnumerateArray())
            {
                var function = call.TryGetProperty("function", out var f) ? f : default;
                writer.WriteStartObject();
                writer.WriteString("type"u8, "tool_use"u8);
                writer.WriteString("id"u8, AnthropicMapping.GetString(call, "id") ?? string.Empty);
                writer.WriteString("name"u8, AnthropicMapping.GetString(function, "name") ?? string.Empty);
                writer.WritePropertyName("input"u8);
                WriteArguments(writer, AnthropicMapping.GetString(function, "arguments"));
                writer.WriteEndObject();
            }
        }
    }

    /// <summary>Writes tool arguments as the JSON object Anthropic's <c>input</c> is; malformed arguments become <c>{}</c>.</summary>
    internal static void WriteArguments(Utf8JsonWriter writer, string? arguments)
    {
        if (!string.IsNullOrWhiteSpace(arguments))
        {
            try
            {
                using var parsed = JsonDocument.Parse(arguments);
                if (parsed.RootElement.ValueKind == JsonValueKind.Object)
                {
                    parsed.RootElement.WriteTo(writer);
                    return;
                }
            }
            catch (JsonException)
            {
                // A model emitted invalid JSON; Anthropic clients expect an object, so send an empty one.
            }
        }

        writer.WriteStartObject();
        writer.WriteEndObject();
    }
}
