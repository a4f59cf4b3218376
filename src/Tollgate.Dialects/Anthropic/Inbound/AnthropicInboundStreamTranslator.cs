using System.Buffers;
using System.Text.Json;
using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Anthropic.Inbound;

/// <summary>
/// Turns an OpenAI <c>chat.completion.chunk</c> stream into Anthropic's event sequence (<c>message_start</c>,
/// <c>content_block_start/delta/stop</c>, <c>message_delta</c>, <c>message_stop</c>) for <c>/v1/messages</c> clients.
/// One instance per response; not thread-safe.
/// </summary>
/// <remarks>
/// OpenAI streams report usage only at the end (the request asks for <c>include_usage</c>), so <c>message_start</c>
/// carries the gateway's own count of the prompt (when given; clients such as Claude Code track context and cost from
/// it) and the final <c>message_delta</c> the provider's exact numbers, input included, as Anthropic's own
/// <c>message_delta</c> does. Tool call arguments are forwarded for the tool block currently open; a provider that
/// interleaves fragments of several calls would lose the fragments of calls already closed (none seen so far does).
/// </remarks>
public sealed class AnthropicInboundStreamTranslator
{
    private readonly string? _model;
    private readonly Func<TokenUsage, decimal?>? _cost;
    private readonly Func<long>? _promptTokens;
    private readonly Dictionary<int, int> _toolBlocks = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;
    private bool _started;
    private int _openBlock = -1;
    private BlockKind _openKind;
    private int _nextBlock;
    private string? _stopReason;

    /// <summary>Creates a translator for one stream.</summary>
    /// <param name="model">The model name to report; null reports the upstream's.</param>
    /// <param name="cost">Prices the final usage for <c>usage.cost</c>; null leaves it out.</param>
    /// <param name="promptTokens">Counts the prompt for <c>message_start</c>'s <c>input_tokens</c> (called once, when the stream starts); null reports 0.</param>
    public AnthropicInboundStreamTranslator(string? model, Func<TokenUsage, decimal?>? cost, Func<long>? promptTokens = null)
    {
        _model = model;
        _cost = cost;
        _promptTokens = promptTokens;
        _writer = new Utf8JsonWriter(_buffer);
    }

    /// <summary>The usage from the upstream's usage chunk (empty until it arrives).</summary>
    public TokenUsage Usage { get; private set; } = TokenUsage.Empty;

    /// <summary>The cost written with the final usage, if a pricing function was given.</summary>
    public decimal? Cost { get; private set; }

    /// <summary>True once <c>message_stop</c> (or an error event) has been produced.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>Translates one OpenAI chunk payload (or <c>[DONE]</c>), adding the Anthropic events to send.</summary>
    /// <param name="openAIChunkData">The data of one OpenAI SSE event.</param>
    /// <param name="output">Receives the events, in order.</param>
    public void Translate(ReadOnlySpan<byte> openAIChunkData, ICollection<AnthropicSseEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (IsCompleted)
        {
            return;
        }

        if (openAIChunkData.Trim((byte)' ').SequenceEqual("[DONE]"u8))
        {
            Complete(output);
            return;
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(openAIChunkData);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            try
            {
                Dispatch(document.RootElement, output);
            }
            catch (InvalidOperationException)
            {
                // Valid JSON of the wrong shape: skipped like a garbled chunk.
            }
        }
    }

    private void Dispatch(JsonElement root, ICollection<AnthropicSseEvent> output)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (root.TryGetProperty("error", out var error))
        {
            var message = error.ValueKind == JsonValueKind.String ? error.GetString() : AnthropicMapping.GetString(error, "message");
            Begin();
            AnthropicInboundResponseTranslator.WriteAnthropicError(_writer, "api_error", message ?? "The upstream provider failed mid-stream.");
            output.Add(new AnthropicSseEvent("error", Flush()));
            IsCompleted = true;
            return;
        }

        Start(root, output);
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            Usage = OpenAIUsageReader.Read(usage);
        }

        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            return;
        }

        var choice = choices[0];
        if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
        {
            OnDelta(delta, output);
        }

        if (AnthropicMapping.GetString(choice, "finish_reason") is { } finish)
        {
            _stopReason = AnthropicInboundResponseTranslator.StopReason(finish);
            CloseBlock(output);
        }
    }

    /// <summary>
    /// Ends the Anthropic stream (<c>message_delta</c> with stop reason and usage, then <c>message_stop</c>).
    /// Called on <c>[DONE]</c>; call it when the upstream ends without one. Does nothing the second time.
    /// </summary>
    /// <param name="output">Receives the closing events.</param>
    public void Complete(ICollection<AnthropicSseEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (IsCompleted)
        {
            return;
        }

        Start(default, output);
        CloseBlock(output);
        Cost = _cost?.Invoke(Usage);

        Begin();
        _writer.WriteStartObject();
        _writer.WriteString("type"u8, "message_delta"u8);
        _writer.WriteStartObject("delta"u8);
        _writer.WriteString("stop_reason"u8, _stopReason ?? "end_turn");
        _writer.WriteNull("stop_sequence"u8);
        _writer.WriteEndObject();
        _writer.WritePropertyName("usage"u8);
        AnthropicInboundResponseTranslator.WriteAnthropicUsage(_writer, Usage, Cost);
        _writer.WriteEndObject();
        output.Add(new AnthropicSseEvent("message_delta", Flush()));

        Begin();
        _writer.WriteStartObject();
        _writer.WriteString("type"u8, "message_stop"u8);
        _writer.WriteEndObject();
        output.Add(new AnthropicSseEvent("message_stop", Flush()));
        IsCompleted = true;
    }

    private void Start(JsonElement chunk, ICollection<AnthropicSseEvent> output)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        Begin();
        _writer.WriteStartObject();
        _writer.WriteString("type"u8, "message_start"u8);
        _writer.WriteStartObject("message"u8);
        _writer.WriteString("id"u8, AnthropicInboundResponseTranslator.MessageId(AnthropicMapping.GetString(chunk, "id")));
        _writer.WriteString("type"u8, "message"u8);
        _writer.WriteString("role"u8, "assistant"u8);
        _writer.WriteString("model"u8, _model ?? AnthropicMapping.GetString(chunk, "model") ?? string.Empty);
        _writer.WriteStartArray("content"u8);
        _writer.WriteEndArray();
        _writer.WriteNull("stop_reason"u8);
        _writer.WriteNull("stop_sequence"u8);
        _writer.WritePropertyName("usage"u8);
        var estimate = _promptTokens is null ? TokenUsage.Empty : new TokenUsage { InputTokens = _promptTokens() };
        AnthropicInboundResponseTranslator.WriteAnthropicUsage(_writer, estimate, null);
        _writer.WriteEndObject();
        _writer.WriteEndObject();
        output.Add(new AnthropicSseEvent("message_start", Flush()));
    }

    private void OnDelta(JsonElement delta, ICollection<AnthropicSseEvent> output)
    {
        if ((AnthropicMapping.GetString(delta, "reasoning_content") ?? AnthropicMapping.GetString(delta, "reasoning")) is { Length: > 0 } reasoning)
        {
            Open(BlockKind.Thinking, output);
            WriteDelta("thinking_delta"u8, "thinking"u8, reasoning, output);
        }

        if (delta.TryGetProperty("thinking_blocks", out var thinkingBlocks) && thinkingBlocks.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in thinkingBlocks.EnumerateArray())
            {
                OnThinkingBlock(block, output);
            }
        }

        if (AnthropicMapping.GetString(delta, "content") is { Length: > 0 } text)
        {
            Open(BlockKind.Text, output);
            WriteDelta("text_delta"u8, "text"u8, text, output);
        }

        if (delta.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in toolCalls.EnumerateArray())
            {
                OnToolCall(call, output);
            }
        }
    }

    private void OnThinkingBlock(JsonElement block, ICollection<AnthropicSseEvent> output)
    {
        if (AnthropicMapping.GetString(block, "type") == "redacted_thinking")
        {
            CloseBlock(output);
            var index = _nextBlock++;
            Begin();
            _writer.WriteStartObject();
            _writer.WriteString("type"u8, "content_block_start"u8);
            _writer.WriteNumber("index"u8, index);
            _writer.WritePropertyName("content_block"u8);
            block.WriteTo(_writer);
            _writer.WriteEndObject();
            output.Add(new AnthropicSseEvent("content_block_start", Flush()));
            _openBlock = index;
            _openKind = BlockKind.RedactedThinking;
            CloseBlock(output);
            return;
        }

        // A complete block closes the thinking that streamed as reasoning deltas; if none streamed, send its text now.
        if (_openKind != BlockKind.Thinking || _openBlock < 0)
        {
            Open(BlockKind.Thinking, output);
            if (AnthropicMapping.GetString(block, "thinking") is { Length: > 0 } thinking)
            {
                WriteDelta("thinking_delta"u8, "thinking"u8, thinking, output);
            }
        }

        if (AnthropicMapping.GetString(block, "signature") is { Length: > 0 } signature)
        {
            WriteDelta("signature_delta"u8, "signature"u8, signature, output);
        }

        CloseBlock(output);
    }

    private void OnToolCall(JsonElement call, ICollection<AnthropicSseEvent> output)
    {
        var toolIndex = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var parsed) ? parsed : 0;
        if (!_toolBlocks.TryGetValue(toolIndex, out var blockIndex))
        {
            CloseBlock(output);
            var function = call.TryGetProperty("function", out var f) ? f : default;
            blockIndex = _nextBlock++;
            _toolBlocks[toolIndex] = blockIndex;
            Begin();
            _writer.WriteStartObject();
            _writer.WriteString("type"u8, "content_block_start"u8);
            _writer.WriteNumber("index"u8, blockIndex);
            _writer.WriteStartObject("content_block"u8);
            _writer.WriteString("type"u8, "tool_use"u8);
            _writer.WriteString("id"u8, AnthropicMapping.GetString(call, "id") ?? $"toolu_{blockIndex}");
            _writer.WriteString("name"u8, AnthropicMapping.GetString(function, "name") ?? string.Empty);
            _writer.WriteStartObject("input"u8);
            _writer.WriteEndObject();
            _writer.WriteEndObject();
            _writer.WriteEndObject();
            output.Add(new AnthropicSseEvent("content_block_start", Flush()));
            _openBlock = blockIndex;
            _openKind = BlockKind.Tool;
        }

        if (blockIndex == _openBlock && call.TryGetProperty("function", out var fn) && AnthropicMapping.GetString(fn, "arguments") is { Length: > 0 } arguments)
        {
            WriteDelta("input_json_delta"u8, "partial_json"u8, arguments, output);
        }
    }

    private void Open(BlockKind kind, ICollection<AnthropicSseEvent> output)
    {
        if (_openBlock >= 0 && _openKind == kind && kind != BlockKind.Tool)
        {
            return;
        }

        CloseBlock(output);
        var index = _nextBlock++;
        Begin();
        _writer.WriteStartObject();
        _writer.WriteString("type"u8, "content_block_start"u8);
        _writer.WriteNumber("index"u8, index);
        _writer.WriteStartObject("content_block"u8);
        if (kind == BlockKind.Thinking)
        {
            _writer.WriteString("type"u8, "thinking"u8);
            _writer.WriteString("thinking"u8, string.Empty);
            _writer.WriteString("signature"u8, string.Empty);
        }
        else
        {
            _writer.WriteString("type"u8, "text"u8);
            _writer.WriteString("text"u8, string.Empty);
        }

        _writer.WriteEndObject();
        _writer.WriteEndObject();
        output.Add(new AnthropicSseEvent("content_block_start", Flush()));
        _openBlock = index;
        _openKind = kind;
    }

    private void CloseBlock(ICollection<AnthropicSseEvent> output)
    {
        if (_openBlock < 0)
        {
            return;
        }

        Begin();
        _writer.WriteStartObject();
        _writer.WriteString("type"u8, "content_block_stop"u8);
        _writer.WriteNumber("index"u8, _openBlock);
        _writer.WriteEndObject();
        output.Add(new AnthropicSseEvent("content_block_stop", Flush()));
        _openBlock = -1;
    }

    private void WriteDelta(ReadOnlySpan<byte> deltaType, ReadOnlySpan<byte> field, string value, ICollection<AnthropicSseEvent> output)
    {
        Begin();
        _writer.WriteStartObject();
        _writer.WriteString("type"u8, "content_block_delta"u8);
        _writer.WriteNumber("index"u8, _openBlock);
        _writer.WriteStartObject("delta"u8);
        _writer.WriteString("type"u8, deltaType);
        _writer.WriteString(field, value);
        _writer.WriteEndObject();
        _writer.WriteEndObject();
        output.Add(new AnthropicSseEvent("content_block_delta", Flush()));
    }

    private void Begin()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }

    private byte[] Flush()
    {
        _writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    private enum BlockKind
    {
        Text,
        Thinking,
        RedactedThinking,
        Tool,
    }
}
