using System.Buffers;
using System.Text.Json;
using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Gemini;

/// <summary>
/// Turns the SSE data payloads of Gemini's <c>:streamGenerateContent?alt=sse</c> (each a whole
/// <c>GenerateContentResponse</c>) into OpenAI <c>chat.completion.chunk</c> payloads. One instance per stream.
/// </summary>
/// <remarks>
/// <para>Per choice: a role chunk first, then one chunk per text delta (<c>content</c>), thought delta
/// (<c>reasoning_content</c>) or function call. Gemini sends each function call whole, so each becomes one
/// tool-call delta carrying id, name and the full arguments, at an increasing <c>index</c>; ids and thought
/// signatures follow <see cref="GeminiResponseTranslator"/>. The chunk with <c>finishReason</c> gives the finish
/// chunk; a text part's thought signature (Gemini sends it on a last, empty text part) rides on that chunk's delta as
/// <c>extra_content.google.thought_signature</c>.</para>
/// <para>Gemini repeats <c>usageMetadata</c> on every payload; the last one wins, exposed as <see cref="Usage"/>
/// and written by <see cref="Complete"/> as OpenAI's final usage chunk (<c>choices: []</c>).</para>
/// </remarks>
public sealed class GeminiStreamTranslator
{
    private readonly GeminiResponseOptions _options;
    private readonly Dictionary<int, ChoiceState> _choices = [];
    private string? _responseId;
    private string? _model;
    private int _toolCalls;

    /// <summary>Starts a stream translation.</summary>
    public GeminiStreamTranslator(GeminiResponseOptions? options = null) => _options = options ?? new GeminiResponseOptions();

    /// <summary>The latest usage Gemini reported; null until one arrives.</summary>
    public TokenUsage? Usage { get; private set; }

    /// <summary>The first choice's OpenAI finish reason, once it has finished.</summary>
    public string? FinishReason { get; private set; }

    /// <summary>Set when the stream carried an error object; its OpenAI payload was emitted as a chunk.</summary>
    public GeminiErrorTranslation? Error { get; private set; }

    /// <summary>Translates one SSE data payload, adding zero or more OpenAI chunk payloads to <paramref name="chunks"/>.</summary>
    /// <exception cref="JsonException">The payload is not JSON (an upstream fault).</exception>
    public void Translate(ReadOnlySpan<byte> payload, ICollection<byte[]> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        if (GeminiErrorTranslator.IsError(payload))
        {
            Error = GeminiErrorTranslator.Translate(0, payload);
            chunks.Add(Error.Body);
            return;
        }

        var reader = new Utf8JsonReader(payload);
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        _responseId ??= GeminiResponseTranslator.String(root, "responseId");
        _model ??= _options.Model ?? GeminiResponseTranslator.String(root, "modelVersion");
        if (root.TryGetProperty("usageMetadata", out var usage))
        {
            Usage = GeminiUsage.Parse(usage);
        }

        var any = false;
        if (root.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array)
        {
            var position = 0;
            foreach (var candidate in candidates.EnumerateArray())
            {
                var index = candidate.TryGetProperty("index", out var idx) && idx.TryGetInt32(out var i) ? i : position;
                position++;
                any = true;
                TranslateCandidate(candidate, index, chunks);
            }
        }

        if (!any && root.TryGetProperty("promptFeedback", out var feedback) && feedback.TryGetProperty("blockReason", out _))
        {
            var state = State(0, chunks);
            if (!state.Finished)
            {
                state.Finished = true;
                FinishReason ??= "content_filter";
                chunks.Add(Chunk(0, Delta.Finish, text: null, finishReason: "content_filter"));
            }
        }
    }

    /// <summary>
    /// The final usage chunk (<c>choices: []</c>, <c>usage</c> with <paramref name="cost"/>), or null when usage is
    /// not wanted or Gemini reported none. Call once, after the last payload.
    /// </summary>
    public byte[]? Complete(decimal? cost = null)
    {
        if (!_options.IncludeStreamUsage || Usage is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(384);
        using (var w = new Utf8JsonWriter(buffer, GeminiJson.Writer))
        {
            w.WriteStartObject();
            WriteHeader(w);
            w.WriteStartArray("choices");
            w.WriteEndArray();
            w.WritePropertyName("usage");
            GeminiUsage.WriteOpenAIUsage(w, Usage, cost);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void TranslateCandidate(JsonElement candidate, int index, ICollection<byte[]> chunks)
    {
        var state = State(index, chunks);
        if (candidate.TryGetProperty("content", out var content) && content.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in parts.EnumerateArray())
            {
                if (part.TryGetProperty("functionCall", out _))
                {
                    state.HasToolCalls = true;
                    chunks.Add(Chunk(index, Delta.ToolCall, text: null, part, _toolCalls++, state.ToolIndex++));
                    continue;
                }

                var isThought = part.TryGetProperty("thought", out var t) && t.ValueKind == JsonValueKind.True;
                if (GeminiResponseTranslator.String(part, "text") is { Length: > 0 } text)
                {
                    chunks.Add(Chunk(index, isThought ? Delta.Reasoning : Delta.Content, text));
                }

                if (!isThought && GeminiResponseTranslator.String(part, "thoughtSignature") is { } sig)
                {
                    state.TextSignature = sig;
                }
            }
        }

        if (!state.Finished && GeminiResponseTranslator.String(candidate, "finishReason") is { } reason)
        {
            state.Finished = true;
            var finish = GeminiFinishReasons.Map(reason, state.HasToolCalls);
            if (index == 0)
            {
                FinishReason = finish;
            }

            chunks.Add(Chunk(index, Delta.Finish, state.TextSignature, finishReason: finish));
        }
    }

    private ChoiceState State(int index, ICollection<byte[]> chunks)
    {
        if (!_choices.TryGetValue(index, out var state))
        {
            state = new ChoiceState();
            _choices[index] = state;
            chunks.Add(Chunk(index, Delta.Role, text: null));
        }

        return state;
    }

    /// <summary>One chunk with one choice; <paramref name="text"/> is the delta text, or the signature for a finish.</summary>
    private byte[] Chunk(int index, Delta kind, string? text, JsonElement part = default, int n = 0, int toolIndex = 0, string? finishReason = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, GeminiJson.Writer))
        {
            w.WriteStartObject();
            WriteHeader(w);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", index);
            w.WriteStartObject("delta");
            switch (kind)
            {
                case Delta.Role:
                    w.WriteString("role", "assistant");
                    w.WriteString("content", string.Empty);
                    break;
                case Delta.Content:
                    w.WriteString("content", text);
                    break;
                case Delta.Reasoning:
                    w.WriteString("reasoning_content", text);
                    break;
                case Delta.ToolCall:
                    w.WriteStartArray("tool_calls");
                    GeminiResponseTranslator.WriteToolCall(w, part, _responseId, n, toolIndex, _options.EmbedThoughtSignatureInToolCallId);
                    w.WriteEndArray();
                    break;
                case Delta.Finish when text is not null:
                    GeminiResponseTranslator.WriteExtraContent(w, text);
                    break;
            }

            w.WriteEndObject();
            w.WriteNull("logprobs");
            if (finishReason is null)
            {
                w.WriteNull("finish_reason");
            }
            else
            {
                w.WriteString("finish_reason", finishReason);
            }

            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void WriteHeader(Utf8JsonWriter w)
    {
        w.WriteString("id", "chatcmpl-" + (_responseId ?? "gemini"));
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", _options.Created);
        w.WriteString("model", _model ?? string.Empty);
    }

    private enum Delta
    {
        Role,
        Content,
        Reasoning,
        ToolCall,
        Finish,
    }

    private sealed class ChoiceState
    {
        public bool HasToolCalls { get; set; }

        public int ToolIndex { get; set; }

        public bool Finished { get; set; }

        public string? TextSignature { get; set; }
    }
}
