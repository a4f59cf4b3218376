using System.Buffers;
using System.Text.Json;
using Tollgate.Emulator.Chat;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Dialects;

/// <summary>Writes a <see cref="ChatPlan"/> as Anthropic's Messages API does: a <c>message</c> body, or its event stream.</summary>
internal static class AnthropicWriter
{
    public static string MessageId(ChatPlan plan) => "msg_" + plan.Id["chatcmpl-".Length..];

    public static string ToolUseId(ToolCallPlan call) => "toolu_" + call.Id["call_".Length..];

    public static string StopReason(string finishReason) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" => "tool_use",
        _ => "end_turn",
    };

    public static ReadOnlyMemory<byte> Message(ChatPlan plan) => OpenAiJson.Write(plan, static (w, p) =>
    {
        w.WriteStartObject();
        w.WriteString("id", MessageId(p));
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", p.Model);
        w.WriteStartArray("content");
        if (p.Thinking)
        {
            w.WriteStartObject();
            w.WriteString("type", "thinking");
            w.WriteString("thinking", EmulatorSignatures.ThinkingText);
            w.WriteString("signature", EmulatorSignatures.Thinking(EmulatorSignatures.ThinkingText));
            w.WriteEndObject();
        }

        if (p.ToolCall is { } call)
        {
            w.WriteStartObject();
            w.WriteString("type", "tool_use");
            w.WriteString("id", ToolUseId(call));
            w.WriteString("name", call.Name);
            w.WritePropertyName("input");
            w.WriteRawValue(call.Arguments);
            w.WriteEndObject();
        }
        else
        {
            w.WriteStartObject();
            w.WriteString("type", "text");
            w.WriteString("text", p.Content);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("stop_reason", StopReason(p.FinishReason));
        w.WriteNull("stop_sequence");
        if (p.Usage is { } usage)
        {
            WriteUsage(w, usage, usage.CompletionTokens);
        }

        w.WriteEndObject();
    });

    /// <summary>
    /// message_start, content_block_start, ping, one content_block_delta per piece (text_delta or input_json_delta),
    /// content_block_stop, message_delta (stop reason, output usage), message_stop. With <c>cut</c> it stops after
    /// about half of the deltas and throws <see cref="EmulatorCutException"/>.
    /// </summary>
    public static async Task StreamAsync(ChatPlan plan, Stream output, TimeProvider time, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var w = new Utf8JsonWriter(buffer);
        if (plan.Ttft > TimeSpan.Zero)
        {
            await Task.Delay(plan.Ttft, time, ct);
        }

        await SendAsync(output, buffer, w, "message_start", plan, static (w, p) =>
        {
            w.WriteStartObject("message");
            w.WriteString("id", MessageId(p));
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", p.Model);
            w.WriteStartArray("content");
            w.WriteEndArray();
            w.WriteNull("stop_reason");
            w.WriteNull("stop_sequence");
            if (p.Usage is { } usage)
            {
                WriteUsage(w, usage, 1);
            }

            w.WriteEndObject();
        }, ct);

        if (plan.Thinking)
        {
            // A thinking block first, as Claude streams it: text, then its signature, then the block's end.
            await SendAsync(output, buffer, w, "content_block_start", plan, static (w, _) =>
            {
                w.WriteNumber("index", 0);
                w.WriteStartObject("content_block");
                w.WriteString("type", "thinking");
                w.WriteString("thinking", "");
                w.WriteString("signature", "");
                w.WriteEndObject();
            }, ct);
            await SendAsync(output, buffer, w, "content_block_delta", plan, static (w, _) =>
            {
                w.WriteNumber("index", 0);
                w.WriteStartObject("delta");
                w.WriteString("type", "thinking_delta");
                w.WriteString("thinking", EmulatorSignatures.ThinkingText);
                w.WriteEndObject();
            }, ct);
            await SendAsync(output, buffer, w, "content_block_delta", plan, static (w, _) =>
            {
                w.WriteNumber("index", 0);
                w.WriteStartObject("delta");
                w.WriteString("type", "signature_delta");
                w.WriteString("signature", EmulatorSignatures.Thinking(EmulatorSignatures.ThinkingText));
                w.WriteEndObject();
            }, ct);
            await SendAsync(output, buffer, w, "content_block_stop", plan, static (w, _) => w.WriteNumber("index", 0), ct);
        }

        await SendAsync(output, buffer, w, "content_block_start", plan, static (w, p) =>
        {
            w.WriteNumber("index", Index(p));
            w.WriteStartObject("content_block");
            if (p.ToolCall is { } call)
            {
                w.WriteString("type", "tool_use");
                w.WriteString("id", ToolUseId(call));
                w.WriteString("name", call.Name);
                w.WriteStartObject("input");
                w.WriteEndObject();
            }
            else
            {
                w.WriteString("type", "text");
                w.WriteString("text", "");
            }

            w.WriteEndObject();
        }, ct);
        await SendAsync(output, buffer, w, "ping", plan, static (_, _) => { }, ct);

        var stopAfter = plan.Cut ? plan.Pieces.Count / 2 : plan.Pieces.Count;
        for (var i = 0; i < stopAfter; i++)
        {
            if (i > 0 && plan.ChunkInterval > TimeSpan.Zero)
            {
                await Task.Delay(plan.ChunkInterval, time, ct);
            }

            var piece = plan.Pieces[i];
            await SendAsync(output, buffer, w, "content_block_delta", (plan, piece), static (w, s) =>
            {
                w.WriteNumber("index", Index(s.plan));
                w.WriteStartObject("delta");
                if (s.plan.ToolCall is not null)
                {
                    w.WriteString("type", "input_json_delta");
                    w.WriteString("partial_json", s.piece);
                }
                else
                {
                    w.WriteString("type", "text_delta");
                    w.WriteString("text", s.piece);
                }

                w.WriteEndObject();
            }, ct);
            await plan.StallAfterAsync(i, time, ct);
        }

        if (plan.Cut)
        {
            throw new EmulatorCutException();
        }

        await SendAsync(output, buffer, w, "content_block_stop", plan, static (w, p) => w.WriteNumber("index", Index(p)), ct);
        await SendAsync(output, buffer, w, "message_delta", plan, static (w, p) =>
        {
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", StopReason(p.FinishReason));
            w.WriteNull("stop_sequence");
            w.WriteEndObject();
            if (p.Usage is { } usage)
            {
                WriteUsage(w, usage, usage.CompletionTokens);
            }
        }, ct);
        await SendAsync(output, buffer, w, "message_stop", plan, static (_, _) => { }, ct);
    }

    // The answer's block comes after the thinking block when there is one.
    private static int Index(ChatPlan plan) => plan.Thinking ? 1 : 0;

    // Anthropic's input_tokens excludes cache reads and writes; cached tokens are reads, the cache_write knobs writes.
    private static void WriteUsage(Utf8JsonWriter w, EmulatorUsage usage, long outputTokens)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", usage.PromptTokens - usage.CachedTokens - usage.CacheWrite5mTokens - usage.CacheWrite1hTokens);
        w.WriteNumber("cache_creation_input_tokens", usage.CacheWrite5mTokens + usage.CacheWrite1hTokens);
        w.WriteNumber("cache_read_input_tokens", usage.CachedTokens);
        w.WriteStartObject("cache_creation");
        w.WriteNumber("ephemeral_5m_input_tokens", usage.CacheWrite5mTokens);
        w.WriteNumber("ephemeral_1h_input_tokens", usage.CacheWrite1hTokens);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", outputTokens);
        w.WriteString("service_tier", "standard");
        w.WriteEndObject();
    }

    private static async ValueTask SendAsync<TState>(
        Stream output, ArrayBufferWriter<byte> buffer, Utf8JsonWriter w, string type, TState state, Action<Utf8JsonWriter, TState> body, CancellationToken ct)
    {
        buffer.ResetWrittenCount();
        w.Reset(buffer);
        w.WriteStartObject();
        w.WriteString("type", type);
        body(w, state);
        w.WriteEndObject();
        w.Flush();
        await output.WriteAsync(System.Text.Encoding.UTF8.GetBytes("event: " + type + "\ndata: "), ct);
        await output.WriteAsync(buffer.WrittenMemory, ct);
        await output.WriteAsync("\n\n"u8.ToArray(), ct);

        // One flush per event, as a real stream arrives.
        await output.FlushAsync(ct);
    }
}
