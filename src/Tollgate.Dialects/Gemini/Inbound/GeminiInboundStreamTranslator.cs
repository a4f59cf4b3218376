using System.Buffers;
using System.Text;
using System.Text.Json;
using Tollgate.Core.Usage;
using Tollgate.Dialects.OpenAI;

namespace Tollgate.Dialects.Gemini.Inbound;

/// <summary>
/// Translates an OpenAI <c>chat.completion.chunk</c> stream into Gemini's stream of partial
/// <c>GenerateContentResponse</c>s: each text or reasoning delta one response with a text (or thought) part; tool
/// calls gathered and sent whole, as Gemini sends them, in the last response, which also carries
/// <c>finishReason</c>, <c>usageMetadata</c> and the cost (<c>tollgate.cost</c>). The last response waits for the
/// usage chunk that follows OpenAI's finish chunk. An error chunk becomes Gemini's error object, which the SDKs raise.
/// </summary>
public sealed class GeminiInboundStreamTranslator(string model, Func<TokenUsage, decimal?> cost)
{
    private readonly SortedDictionary<int, (string? Id, string Name, StringBuilder Arguments)> _calls = [];
    private string? _responseId;
    private string? _finishReason;
    private TokenUsage? _usage;

    /// <summary>True once the last response (with <c>finishReason</c>) was written.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>True once an error object was written.</summary>
    public bool HasError { get; private set; }

    /// <summary>Adds the Gemini responses one OpenAI chunk becomes (none, one, or two).</summary>
    public void Translate(ReadOnlySpan<byte> chunk, List<byte[]> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (IsCompleted || HasError)
        {
            return;
        }

        using var doc = JsonDocument.Parse(chunk.ToArray());
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            HasError = true;
            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            output.Add(GeminiInboundErrors.Body(502, message ?? "The upstream provider's stream failed."));
            return;
        }

        if (_responseId is null && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            _responseId = id.GetString();
        }

        if (root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object && OpenAIUsage.TryParse(Encoding.UTF8.GetBytes(u.GetRawText()), out var usage))
        {
            _usage = usage;
        }

        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            foreach (var choice in choices.EnumerateArray())
            {
                // A stream carries the first candidate: Gemini streams one, and mixing several would garble it.
                if (!choice.TryGetProperty("index", out var index) || index.ValueKind != JsonValueKind.Number || index.GetInt32() == 0)
                {
                    ReadChoice(choice, output);
                }
            }
        }

        if (_finishReason is not null && _usage is not null)
        {
            output.Add(Last());
        }
    }

    /// <summary>At the end of the upstream's stream: the last response, when the usage chunk never came.</summary>
    public void Complete(List<byte[]> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!IsCompleted && !HasError)
        {
            output.Add(Last());
        }
    }

    private void ReadChoice(JsonElement choice, List<byte[]> output)
    {
        if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
        {
            if (delta.TryGetProperty("reasoning_content", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() is { Length: > 0 } thought)
            {
                output.Add(TextResponse(thought, thought: true));
            }

            if (delta.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String && c.GetString() is { Length: > 0 } text)
            {
                output.Add(TextResponse(text, thought: false));
            }

            if (delta.TryGetProperty("thinking_blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array)
            {
                // The block's text was streamed already: only its signature is new.
                foreach (var block in blocks.EnumerateArray())
                {
                    output.Add(Write(w =>
                    {
                        GeminiInboundShapes.WriteThinkingBlock(w, block, withText: false);
                        return false;
                    }));
                }
            }

            if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    Gather(call);
                }
            }
        }

        if (choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String)
        {
            _finishReason = f.GetString();
        }
    }

    private void Gather(JsonElement call)
    {
        var index = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : _calls.Count;
        if (!_calls.TryGetValue(index, out var entry))
        {
            entry = (null, "", new StringBuilder());
        }

        if (call.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            entry.Id = id.GetString();
        }

        if (call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
        {
            if (function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                entry.Name += name.GetString();
            }

            if (function.TryGetProperty("arguments", out var args) && args.ValueKind == JsonValueKind.String)
            {
                entry.Arguments.Append(args.GetString());
            }
        }

        _calls[index] = entry;
    }

    private byte[] TextResponse(string text, bool thought) => Write(w =>
    {
        GeminiInboundShapes.WriteTextPart(w, text, thought);
        return false;
    });

    private byte[] Last()
    {
        IsCompleted = true;
        return Write(w =>
        {
            foreach (var (_, call) in _calls)
            {
                GeminiInboundShapes.WriteFunctionCall(w, call.Id, call.Name, call.Arguments.ToString());
            }

            if (_calls.Count == 0)
            {
                GeminiInboundShapes.WriteTextPart(w, "", thought: false);
            }

            return true;
        });
    }

    /// <summary>One response with the parts <paramref name="parts"/> writes; it returns true for the last one.</summary>
    private byte[] Write(Func<Utf8JsonWriter, bool> parts)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("candidates");
            w.WriteStartObject();
            w.WriteStartObject("content");
            w.WriteStartArray("parts");
            var last = parts(w);
            w.WriteEndArray();
            w.WriteString("role", "model");
            w.WriteEndObject();
            if (last)
            {
                w.WriteString("finishReason", GeminiInboundShapes.FinishReason(_finishReason));
            }

            w.WriteNumber("index", 0);
            w.WriteEndObject();
            w.WriteEndArray();
            if (last && _usage is { } usage)
            {
                GeminiInboundShapes.WriteUsage(w, usage);
            }

            w.WriteString("modelVersion", model);
            if (_responseId is not null)
            {
                w.WriteString("responseId", _responseId);
            }

            if (last && _usage is { } priced)
            {
                GeminiInboundShapes.WriteCost(w, cost(priced));
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
