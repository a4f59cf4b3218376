using System.Buffers;
using System.Text.Json;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Chat;

/// <summary>Writes a <see cref="ChatPlan"/> as OpenAI writes chat completions: one JSON body, or SSE chunks.</summary>
internal static class ChatWriter
{
    private const string Fingerprint = "fp_emulator";
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static ReadOnlyMemory<byte> Completion(ChatPlan plan) => OpenAiJson.Write(plan, static (w, p) =>
    {
        w.WriteStartObject();
        w.WriteString("id", p.Id);
        w.WriteString("object", "chat.completion");
        w.WriteNumber("created", p.Created);
        w.WriteString("model", p.Model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        OpenAiJson.WriteStringOrNull(w, "content", p.Content);
        if (p.ToolCall is { } call)
        {
            w.WriteStartArray("tool_calls");
            w.WriteStartObject();
            w.WriteString("id", call.Id);
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", call.Name);
            w.WriteString("arguments", call.Arguments);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        }

        w.WriteNull("refusal");
        w.WriteStartArray("annotations");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", p.FinishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        p.Usage?.WriteChat(w);
        w.WriteString("service_tier", "default");
        w.WriteString("system_fingerprint", Fingerprint);
        w.WriteEndObject();
    });

    /// <summary>
    /// Streams the plan: a role chunk, the content (or tool-argument) chunks paced by the plan, the
    /// finish chunk, the usage chunk when asked for, then <c>[DONE]</c>. With <c>cut</c> it stops
    /// after about half of the content chunks and throws <see cref="EmulatorCutException"/>.
    /// </summary>
    public static async Task StreamAsync(ChatPlan plan, Stream output, TimeProvider time, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var w = new Utf8JsonWriter(buffer);

        if (plan.Ttft > TimeSpan.Zero)
        {
            await Task.Delay(plan.Ttft, time, ct);
        }

        await WriteEventAsync(output, buffer, w, plan, static (w, p, _) => WriteFirstDelta(w, p), 0, null, ct);

        var stopAfter = plan.Cut ? plan.Pieces.Count / 2 : plan.Pieces.Count;
        for (var i = 0; i < stopAfter; i++)
        {
            if (i > 0 && plan.ChunkInterval > TimeSpan.Zero)
            {
                await Task.Delay(plan.ChunkInterval, time, ct);
            }

            await WriteEventAsync(output, buffer, w, plan, static (w, p, i) => WritePieceDelta(w, p, i), i, null, ct);
            await plan.StallAfterAsync(i, time, ct);
        }

        if (plan.Cut)
        {
            throw new EmulatorCutException();
        }

        await WriteEventAsync(output, buffer, w, plan, static (w, _, _) =>
        {
            w.WriteStartObject("delta");
            w.WriteEndObject();
        }, 0, plan.FinishReason, ct);

        if (plan.IncludeUsage && plan.Usage is not null)
        {
            await WriteUsageEventAsync(output, buffer, w, plan, ct);
        }

        await output.WriteAsync(Done, ct);
        await output.FlushAsync(ct);
    }

    private static void WriteFirstDelta(Utf8JsonWriter w, ChatPlan p)
    {
        w.WriteStartObject("delta");
        w.WriteString("role", "assistant");
        if (p.ToolCall is { } call)
        {
            w.WriteNull("content");
            w.WriteStartArray("tool_calls");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteString("id", call.Id);
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", call.Name);
            w.WriteString("arguments", "");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        }
        else
        {
            w.WriteString("content", "");
        }

        w.WriteNull("refusal");
        w.WriteEndObject();
    }

    private static void WritePieceDelta(Utf8JsonWriter w, ChatPlan p, int index)
    {
        w.WriteStartObject("delta");
        if (p.ToolCall is not null)
        {
            w.WriteStartArray("tool_calls");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("function");
            w.WriteString("arguments", p.Pieces[index]);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        }
        else
        {
            w.WriteString("content", p.Pieces[index]);
        }

        w.WriteEndObject();
    }

    private static async ValueTask WriteEventAsync(
        Stream output, ArrayBufferWriter<byte> buffer, Utf8JsonWriter w, ChatPlan plan,
        Action<Utf8JsonWriter, ChatPlan, int> writeDelta, int index, string? finishReason, CancellationToken ct)
    {
        buffer.ResetWrittenCount();
        w.Reset(buffer);
        WriteChunkStart(w, plan);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        writeDelta(w, plan, index);
        w.WriteNull("logprobs");
        OpenAiJson.WriteStringOrNull(w, "finish_reason", finishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        if (plan.IncludeUsage)
        {
            // With include_usage OpenAI sends "usage": null on every chunk but the last.
            w.WriteNull("usage");
        }

        w.WriteEndObject();
        w.Flush();
        await SendAsync(output, buffer, ct);
    }

    private static async ValueTask WriteUsageEventAsync(
        Stream output, ArrayBufferWriter<byte> buffer, Utf8JsonWriter w, ChatPlan plan, CancellationToken ct)
    {
        buffer.ResetWrittenCount();
        w.Reset(buffer);
        WriteChunkStart(w, plan);
        w.WriteStartArray("choices");
        w.WriteEndArray();
        plan.Usage!.WriteChat(w);
        w.WriteEndObject();
        w.Flush();
        await SendAsync(output, buffer, ct);
    }

    private static void WriteChunkStart(Utf8JsonWriter w, ChatPlan plan)
    {
        w.WriteStartObject();
        w.WriteString("id", plan.Id);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", plan.Created);
        w.WriteString("model", plan.Model);
        w.WriteString("service_tier", "default");
        w.WriteString("system_fingerprint", Fingerprint);
    }

    private static async ValueTask SendAsync(Stream output, ArrayBufferWriter<byte> buffer, CancellationToken ct)
    {
        await output.WriteAsync(DataPrefix, ct);
        await output.WriteAsync(buffer.WrittenMemory, ct);
        await output.WriteAsync(EventEnd, ct);

        // One flush per event: each SSE event must reach the client on its own, as a real stream does.
        await output.FlushAsync(ct);
    }
}
