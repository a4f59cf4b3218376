using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Anthropic.Inbound;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// Anthropic's shapes for <c>/v1/messages</c> clients: a <c>message</c> object, Anthropic's error object, and the
/// <c>message_start</c>, <c>content_block_*</c>, <c>message_delta</c>, <c>message_stop</c> event sequence; a broken
/// upstream ends in an <c>error</c> event, as Anthropic's own streams do.
/// </summary>
/// <param name="promptTokens">The gateway's count of the prompt, for <c>message_start</c> (the provider's exact count follows in <c>message_delta</c>).</param>
internal sealed class AnthropicClientWriter(string clientModel, Func<TokenUsage, decimal?> cost, Func<long>? promptTokens = null) : IClientWriter
{
    private readonly AnthropicInboundStreamTranslator _stream = new(clientModel, cost, promptTokens);
    private readonly List<AnthropicSseEvent> _events = [];

    public bool SignalsBreakInBand => true;

    public bool TryWriteResponse(byte[] openAIResponse, IBufferWriter<byte> client)
    {
        if (!AnthropicInboundResponseTranslator.TryTranslate(openAIResponse, clientModel, cost, out var result) || result is null)
        {
            return false;
        }

        client.Write(result.Body);
        return true;
    }

    public ClientError TranslateError(ClientError openAIError)
    {
        var translated = AnthropicInboundResponseTranslator.TranslateError(openAIError.Body, openAIError.Status);
        return new ClientError(translated.StatusCode, translated.Body, openAIError.RetryAfterSeconds);
    }

    public void WriteChunk(byte[] chunk, PipeWriter output)
    {
        _events.Clear();
        _stream.Translate(chunk, _events);
        Flush(output);
    }

    public void End(PipeWriter output, bool completed)
    {
        _events.Clear();
        if (completed)
        {
            _stream.Complete(_events);
            Flush(output);
            return;
        }

        if (!_stream.IsCompleted)
        {
            // An upstream error event was already translated into one; otherwise say the stream broke off.
            WriteBreak(output);
        }
    }

    /// <summary>The event that tells an Anthropic client its stream broke off.</summary>
    public static void WriteBreak(PipeWriter output) =>
        WriteEvent(output, "error", """{"type":"error","error":{"type":"api_error","message":"The upstream provider's stream broke off."}}"""u8);

    /// <summary>One Anthropic SSE event: <c>event: type</c>, then its data.</summary>
    public static void WriteEvent(PipeWriter output, string eventType, ReadOnlySpan<byte> data)
    {
        output.Write("event: "u8);
        output.Write(Encoding.UTF8.GetBytes(eventType));
        output.Write("\ndata: "u8);
        output.Write(data);
        output.Write("\n\n"u8);
    }

    private void Flush(PipeWriter output)
    {
        foreach (var e in _events)
        {
            WriteEvent(output, e.EventType, e.Data);
        }
    }
}
