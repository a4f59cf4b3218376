using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Tollgate.Dialects.Anthropic.Inbound;

namespace Tollgate.Gateway.Translation;

/// <summary>
/// Anthropic's SSE framing for <c>/v1/messages</c> clients: OpenAI chunks become <c>message_start</c>,
/// <c>content_block_*</c>, <c>message_delta</c> and <c>message_stop</c> events; a broken upstream ends in an
/// <c>error</c> event, as Anthropic's own streams do.
/// </summary>
internal sealed class AnthropicChunkSink(AnthropicInboundStreamTranslator translator) : IChunkSink
{
    private readonly List<AnthropicSseEvent> _events = [];

    /// <inheritdoc/>
    public bool SignalsBreakInBand => true;

    public void Write(byte[] chunk, PipeWriter output)
    {
        _events.Clear();
        translator.Translate(chunk, _events);
        Flush(output);
    }

    public void End(PipeWriter output, bool completed)
    {
        _events.Clear();
        if (completed)
        {
            translator.Complete(_events);
            Flush(output);
            return;
        }

        if (!translator.IsCompleted)
        {
            // An upstream error event was already translated into one; otherwise say the stream broke off.
            WriteEvent(output, "error", """{"type":"error","error":{"type":"api_error","message":"The upstream provider's stream broke off."}}"""u8);
        }
    }

    private void Flush(PipeWriter output)
    {
        foreach (var e in _events)
        {
            WriteEvent(output, e.EventType, e.Data);
        }
    }

    public static void WriteEvent(PipeWriter output, string eventType, ReadOnlySpan<byte> data)
    {
        output.Write("event: "u8);
        output.Write(Encoding.UTF8.GetBytes(eventType));
        output.Write("\ndata: "u8);
        output.Write(data);
        output.Write("\n\n"u8);
    }
}
