using System.Buffers;
using System.Text.Json;
using Tollgate.Emulator.Chat;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Dialects;

/// <summary>Writes a <see cref="ChatPlan"/> as Gemini's <c>generateContent</c> does: one response, or SSE of partial responses.</summary>
internal static class GeminiWriter
{
    public static string FinishReason(string finishReason) => finishReason == "length" ? "MAX_TOKENS" : "STOP";

    public static ReadOnlyMemory<byte> Response(ChatPlan plan) => OpenAiJson.Write(plan, static (w, p) =>
        WriteResponse(w, p, p.ToolCall is null ? p.Content : null, withCall: true, finished: true));

    /// <summary>
    /// One event per text piece (a tool call comes whole, in one event, as Gemini sends it); the last event carries
    /// <c>finishReason</c>. Every event carries <c>usageMetadata</c>, as Gemini's do. No <c>[DONE]</c>: Gemini ends by closing.
    /// With <c>cut</c> it stops after about half of the pieces and throws <see cref="EmulatorCutException"/>.
    /// </summary>
    public static async Task StreamAsync(ChatPlan plan, Stream output, TimeProvider time, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var w = new Utf8JsonWriter(buffer);
        if (plan.Ttft > TimeSpan.Zero)
        {
            await Task.Delay(plan.Ttft, time, ct);
        }

        if (plan.ToolCall is not null)
        {
            if (plan.Cut)
            {
                throw new EmulatorCutException();
            }

            await SendAsync(output, buffer, w, plan, null, withCall: true, finished: true, ct);
            await plan.StallAfterAsync(0, time, ct);
            return;
        }

        var count = plan.Pieces.Count;
        var stopAfter = plan.Cut ? count / 2 : count;
        for (var i = 0; i < stopAfter; i++)
        {
            if (i > 0 && plan.ChunkInterval > TimeSpan.Zero)
            {
                await Task.Delay(plan.ChunkInterval, time, ct);
            }

            await SendAsync(output, buffer, w, plan, plan.Pieces[i], withCall: false, finished: !plan.Cut && i == count - 1, ct);
            await plan.StallAfterAsync(i, time, ct);
        }

        if (plan.Cut)
        {
            throw new EmulatorCutException();
        }

        if (count == 0)
        {
            await SendAsync(output, buffer, w, plan, "", withCall: false, finished: true, ct);
        }
    }

    private static void WriteResponse(Utf8JsonWriter w, ChatPlan p, string? text, bool withCall, bool finished)
    {
        w.WriteStartObject();
        w.WriteStartArray("candidates");
        w.WriteStartObject();
        w.WriteStartObject("content");
        w.WriteStartArray("parts");
        if (withCall && p.ToolCall is { } call)
        {
            w.WriteStartObject();
            w.WriteStartObject("functionCall");
            w.WriteString("name", call.Name);
            w.WritePropertyName("args");
            w.WriteRawValue(call.Arguments);
            w.WriteEndObject();
            if (p.Thinking)
            {
                // Thinking models sign their calls; the signature must come back with the call.
                w.WriteString("thoughtSignature", EmulatorSignatures.FunctionCall(call.Name));
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteStartObject();
            w.WriteString("text", text ?? "");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("role", "model");
        w.WriteEndObject();
        if (finished)
        {
            w.WriteString("finishReason", FinishReason(p.FinishReason));
        }

        w.WriteNumber("index", 0);
        w.WriteEndObject();
        w.WriteEndArray();
        if (p.Usage is { } usage)
        {
            // candidatesTokenCount excludes thoughts; totalTokenCount is the sum of all three, as Gemini reports.
            w.WriteStartObject("usageMetadata");
            w.WriteNumber("promptTokenCount", usage.PromptTokens);
            w.WriteNumber("candidatesTokenCount", usage.CompletionTokens - usage.ReasoningTokens);
            w.WriteNumber("totalTokenCount", usage.TotalTokens);
            if (usage.CachedTokens > 0)
            {
                w.WriteNumber("cachedContentTokenCount", usage.CachedTokens);
            }

            if (usage.ReasoningTokens > 0)
            {
                w.WriteNumber("thoughtsTokenCount", usage.ReasoningTokens);
            }

            w.WriteEndObject();
        }

        w.WriteString("modelVersion", p.Model);
        w.WriteString("responseId", p.Id["chatcmpl-".Length..]);
        w.WriteEndObject();
    }

    private static async ValueTask SendAsync(
        Stream output, ArrayBufferWriter<byte> buffer, Utf8JsonWriter w, ChatPlan plan, string? text, bool withCall, bool finished, CancellationToken ct)
    {
        buffer.ResetWrittenCount();
        w.Reset(buffer);
        WriteResponse(w, plan, text, withCall, finished);
        w.Flush();
        await output.WriteAsync("data: "u8.ToArray(), ct);
        await output.WriteAsync(buffer.WrittenMemory, ct);
        await output.WriteAsync("\r\n\r\n"u8.ToArray(), ct);
        await output.FlushAsync(ct);
    }
}
