using System.Buffers;
using System.Text;
using System.Text.Json;
using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Anthropic;

/// <summary>
/// Turns an Anthropic Messages event stream into OpenAI <c>chat.completion.chunk</c> payloads, one event at a time.
/// One instance per response; not thread-safe.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>message_start</c> gives the role chunk; <c>text_delta</c> becomes <c>content</c>, <c>thinking_delta</c>
/// <c>reasoning_content</c>, and each client tool's <c>tool_use</c> start a tool call delta (id, type, name, empty
/// arguments) at its own OpenAI index, followed by <c>input_json_delta</c> fragments as <c>function.arguments</c>.</item>
/// <item>At a thinking block's <c>content_block_stop</c> the complete block (text and signature, or redacted data)
/// is sent once as <c>delta.thinking_blocks</c>, so a client can send it back as is; the text was already streamed
/// as <c>reasoning_content</c>.</item>
/// <item><c>message_delta</c> gives the finish chunk; <c>message_stop</c> a usage chunk with empty <c>choices</c> when
/// <see cref="AnthropicResponseOptions.IncludeUsage"/> is set. <see cref="Usage"/> is known either way.</item>
/// <item>Server tool blocks (run at Anthropic) are not forwarded; the <c>response_format</c> tool streams as content.</item>
/// </list>
/// </remarks>
public sealed class AnthropicStreamTranslator
{
    private readonly AnthropicResponseOptions _options;
    private readonly AnthropicUsageAccumulator _usage = new();
    private readonly Dictionary<int, Block> _blocks = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;
    private string _id = string.Empty;
    private string _model;
    private int _nextToolIndex;
    private bool _jsonToolUsed;

    /// <summary>Creates a translator for one stream.</summary>
    /// <param name="options">Timestamp, reported model, JSON tool name, pricing and include_usage.</param>
    public AnthropicStreamTranslator(AnthropicResponseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _model = options.Model ?? string.Empty;
        _writer = new Utf8JsonWriter(_buffer);
    }

    /// <summary>Usage so far (final once <see cref="IsCompleted"/>): input from <c>message_start</c>, totals from <c>message_delta</c>.</summary>
    public TokenUsage Usage => _usage.ToTokenUsage();

    /// <summary>The OpenAI finish reason, once <c>message_delta</c> has given a stop reason.</summary>
    public string? FinishReason { get; private set; }

    /// <summary>True once <c>message_stop</c> has been seen.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>True when the upstream sent an <c>error</c> event.</summary>
    public bool HasError { get; private set; }

    /// <summary>The cost computed at <c>message_stop</c> by <see cref="AnthropicResponseOptions.Cost"/>, if any.</summary>
    public decimal? Cost { get; private set; }

    /// <summary>
    /// Translates one event, adding zero or more chunk payloads (the JSON after <c>data: </c>) to <paramref name="output"/>.
    /// </summary>
    /// <param name="eventType">The SSE <c>event:</c> name, or null to read the <c>type</c> field of <paramref name="data"/>.</param>
    /// <param name="data">The event's JSON data.</param>
    /// <param name="output">Receives the payloads to send, in order.</param>
    public void Translate(string? eventType, ReadOnlySpan<byte> data, ICollection<byte[]> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(data);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            // A garbled event carries nothing we can forward faithfully; the stream's end still settles usage.
            return;
        }

        using (document)
        {
            try
            {
                Dispatch(eventType, document.RootElement, output);
            }
            catch (InvalidOperationException)
            {
                // Valid JSON of the wrong shape: skipped like a garbled event.
            }
        }
    }

    private void Dispatch(string? eventType, JsonElement root, ICollection<byte[]> output)
    {
        switch (string.IsNullOrEmpty(eventType) ? AnthropicMapping.GetString(root, "type") : eventType)
        {
            case "message_start":
                OnMessageStart(root, output);
                break;
            case "content_block_start":
                OnBlockStart(root, output);
                break;
            case "content_block_delta":
                OnBlockDelta(root, output);
                break;
            case "content_block_stop":
                OnBlockStop(root, output);
                break;
            case "message_delta":
                OnMessageDelta(root, output);
                break;
            case "message_stop":
                OnMessageStop(output);
                break;
            case "error":
                HasError = true;
                var error = root.TryGetProperty("error", out var e) ? e : default;
                Begin();
                AnthropicMapping.WriteOpenAIError(_writer, AnthropicMapping.GetString(error, "type"), AnthropicMapping.GetString(error, "message"));
                output.Add(Flush());
                break;
        }
    }

    private void OnMessageStart(JsonElement root, ICollection<byte[]> output)
    {
        if (!root.TryGetProperty("message", out var message))
        {
            return;
        }

        _id = AnthropicMapping.GetString(message, "id") ?? _id;
        if (_options.Model is null)
        {
            _model = AnthropicMapping.GetString(message, "model") ?? _model;
        }

        if (message.TryGetProperty("usage", out var usage))
        {
            _usage.Apply(usage);
        }

        BeginChunk();
        _writer.WriteString("role"u8, "assistant"u8);
        _writer.WriteString("content"u8, string.Empty);
        output.Add(EndChunk(null));
    }

    private void OnBlockStart(JsonElement root, ICollection<byte[]> output)
    {
        if (!root.TryGetProperty("index", out var indexElement) || !indexElement.TryGetInt32(out var index) || !root.TryGetProperty("content_block", out var block))
        {
            return;
        }

        var type = AnthropicMapping.GetString(block, "type");
        switch (type)
        {
            case "text":
                _blocks[index] = new Block(BlockKind.Text);
                if (AnthropicMapping.GetString(block, "text") is { Length: > 0 } initialText)
                {
                    WriteContent(initialText, output);
                }

                break;
            case "thinking":
                var thinking = new Block(BlockKind.Thinking);
                thinking.Text.Append(AnthropicMapping.GetString(block, "thinking"));
                thinking.Signature.Append(AnthropicMapping.GetString(block, "signature"));
                _blocks[index] = thinking;
                if (thinking.Text.Length > 0)
                {
                    WriteReasoning(thinking.Text.ToString(), output);
                }

                break;
            case "redacted_thinking":
                var redacted = new Block(BlockKind.RedactedThinking);
                redacted.Text.Append(AnthropicMapping.GetString(block, "data"));
                _blocks[index] = redacted;
                break;
            case "tool_use" when _options.JsonToolName is not null && AnthropicMapping.GetString(block, "name") == _options.JsonToolName:
                _blocks[index] = new Block(BlockKind.JsonTool);
                _jsonToolUsed = true;
                break;
            case "tool_use":
                var tool = new Block(BlockKind.Tool) { ToolIndex = _nextToolIndex++ };
                _blocks[index] = tool;
                BeginChunk();
                _writer.WriteStartArray("tool_calls"u8);
                _writer.WriteStartObject();
                _writer.WriteNumber("index"u8, tool.ToolIndex);
                _writer.WriteString("id"u8, AnthropicMapping.GetString(block, "id") ?? string.Empty);
                _writer.WriteString("type"u8, "function"u8);
                _writer.WriteStartObject("function"u8);
                _writer.WriteString("name"u8, AnthropicMapping.GetString(block, "name") ?? string.Empty);
                _writer.WriteString("arguments"u8, string.Empty);
                _writer.WriteEndObject();
                _writer.WriteEndObject();
                _writer.WriteEndArray();
                output.Add(EndChunk(null));
                break;
            default:
                // server_tool_use, *_tool_result and other server-side blocks: Anthropic ran them, the client has nothing to do.
                _blocks[index] = new Block(BlockKind.Ignored);
                break;
        }
    }

    private void OnBlockDelta(JsonElement root, ICollection<byte[]> output)
    {
        if (!root.TryGetProperty("index", out var indexElement) || !indexElement.TryGetInt32(out var index)
            || !_blocks.TryGetValue(index, out var block) || !root.TryGetProperty("delta", out var delta))
        {
            return;
        }

        switch (AnthropicMapping.GetString(delta, "type"))
        {
            case "text_delta" when block.Kind == BlockKind.Text:
                if (AnthropicMapping.GetString(delta, "text") is { Length: > 0 } text)
                {
                    WriteContent(text, output);
                }

                break;
            case "thinking_delta" when block.Kind == BlockKind.Thinking:
                if (AnthropicMapping.GetString(delta, "thinking") is { Length: > 0 } thinking)
                {
                    block.Text.Append(thinking);
                    WriteReasoning(thinking, output);
                }

                break;
            case "signature_delta" when block.Kind == BlockKind.Thinking:
                block.Signature.Append(AnthropicMapping.GetString(delta, "signature"));
                break;
            case "input_json_delta" when block.Kind == BlockKind.JsonTool:
                if (AnthropicMapping.GetString(delta, "partial_json") is { Length: > 0 } jsonPart)
                {
                    WriteContent(jsonPart, output);
                }

                break;
            case "input_json_delta" when block.Kind == BlockKind.Tool:
                if (AnthropicMapping.GetString(delta, "partial_json") is { Length: > 0 } argumentsPart)
                {
                    BeginChunk();
                    _writer.WriteStartArray("tool_calls"u8);
                    _writer.WriteStartObject();
                    _writer.WriteNumber("index"u8, block.ToolIndex);
                    _writer.WriteStartObject("function"u8);
                    _writer.WriteString("arguments"u8, argumentsPart);
                    _writer.WriteEndObject();
                    _writer.WriteEndObject();
                    _writer.WriteEndArray();
                    output.Add(EndChunk(null));
                }

                break;
        }
    }

    private void OnBlockStop(JsonElement root, ICollection<byte[]> output)
    {
        if (!root.TryGetProperty("index", out var indexElement) || !indexElement.TryGetInt32(out var index) || !_blocks.TryGetValue(index, out var block))
        {
            return;
        }

        if (block.Kind is not (BlockKind.Thinking or BlockKind.RedactedThinking))
        {
            return;
        }

        BeginChunk();
        _writer.WriteStartArray("thinking_blocks"u8);
        _writer.WriteStartObject();
        if (block.Kind == BlockKind.Thinking)
        {
            _writer.WriteString("type"u8, "thinking"u8);
            _writer.WriteString("thinking"u8, block.Text.ToString());
            _writer.WriteString("signature"u8, block.Signature.ToString());
        }
        else
        {
            _writer.WriteString("type"u8, "redacted_thinking"u8);
            _writer.WriteString("data"u8, block.Text.ToString());
        }

        _writer.WriteEndObject();
        _writer.WriteEndArray();
        output.Add(EndChunk(null));
    }

    private void OnMessageDelta(JsonElement root, ICollection<byte[]> output)
    {
        if (root.TryGetProperty("usage", out var usage))
        {
            _usage.Apply(usage);
        }

        if (!root.TryGetProperty("delta", out var delta) || AnthropicMapping.GetString(delta, "stop_reason") is not { } stopReason)
        {
            return;
        }

        var finish = AnthropicMapping.FinishReason(stopReason);
        if (_jsonToolUsed && _nextToolIndex == 0 && finish == "tool_calls")
        {
            // The schema tool is ours: to the client the answer is complete.
            finish = "stop";
        }

        FinishReason = finish;
        BeginChunk();
        if (stopReason == "refusal" && delta.TryGetProperty("stop_details", out var details) && AnthropicMapping.GetString(details, "explanation") is { } explanation)
        {
            _writer.WriteString("refusal"u8, explanation);
        }

        output.Add(EndChunk(finish));
    }

    private void OnMessageStop(ICollection<byte[]> output)
    {
        IsCompleted = true;
        var usage = Usage;
        Cost = _options.Cost?.Invoke(usage);
        if (!_options.IncludeUsage)
        {
            return;
        }

        Begin();
        _writer.WriteStartObject();
        WriteEnvelope();
        _writer.WriteStartArray("choices"u8);
        _writer.WriteEndArray();
        _writer.WritePropertyName("usage"u8);
        AnthropicUsage.ToOpenAIUsageJson(usage, Cost, _writer);
        _writer.WriteEndObject();
        output.Add(Flush());
    }

    private void WriteContent(string text, ICollection<byte[]> output)
    {
        BeginChunk();
        _writer.WriteString("content"u8, text);
        output.Add(EndChunk(null));
    }

    private void WriteReasoning(string text, ICollection<byte[]> output)
    {
        BeginChunk();
        _writer.WriteString("reasoning_content"u8, text);
        output.Add(EndChunk(null));
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

    private void WriteEnvelope()
    {
        _writer.WriteString("id"u8, _id);
        _writer.WriteString("object"u8, "chat.completion.chunk"u8);
        _writer.WriteNumber("created"u8, _options.Created);
        _writer.WriteString("model"u8, _model);
    }

    /// <summary>Writes a chunk up to the open <c>delta</c> object; the caller adds the delta's fields.</summary>
    private void BeginChunk()
    {
        Begin();
        _writer.WriteStartObject();
        WriteEnvelope();
        _writer.WriteStartArray("choices"u8);
        _writer.WriteStartObject();
        _writer.WriteNumber("index"u8, 0);
        _writer.WriteStartObject("delta"u8);
    }

    private byte[] EndChunk(string? finishReason)
    {
        _writer.WriteEndObject();
        _writer.WriteNull("logprobs"u8);
        if (finishReason is null)
        {
            _writer.WriteNull("finish_reason"u8);
        }
        else
        {
            _writer.WriteString("finish_reason"u8, finishReason);
        }

        _writer.WriteEndObject();
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        return Flush();
    }

    private enum BlockKind
    {
        Ignored,
        Text,
        Thinking,
        RedactedThinking,
        Tool,
        JsonTool,
    }

    private sealed class Block(BlockKind kind)
    {
        public BlockKind Kind { get; } = kind;

        public int ToolIndex { get; init; }

        public StringBuilder Text { get; } = new();

        public StringBuilder Signature { get; } = new();
    }
}
