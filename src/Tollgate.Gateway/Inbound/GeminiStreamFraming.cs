using System.Buffers;
using System.IO.Pipelines;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// How a Gemini stream reaches its client: with <c>alt=sse</c> one <c>data:</c> event per response (what Google's SDKs
/// ask for); without it, as Google's REST API answers <c>streamGenerateContent</c>, one JSON array whose elements
/// are the responses, written as they come.
/// </summary>
internal sealed class GeminiStreamFraming(bool sse)
{
    private bool _opened;

    public string ContentType => sse ? "text/event-stream" : "application/json";

    /// <summary>One whole <c>GenerateContentResponse</c> (or error object).</summary>
    public void Write(PipeWriter output, ReadOnlySpan<byte> response)
    {
        if (sse)
        {
            output.Write("data: "u8);
            output.Write(response);
            output.Write("\r\n\r\n"u8);
            return;
        }

        output.Write(_opened ? ",\r\n"u8 : "["u8);
        _opened = true;
        output.Write(response);
    }

    /// <summary>Closes the array (SSE needs no end: Gemini's streams end by closing).</summary>
    public void End(PipeWriter output)
    {
        if (!sse)
        {
            output.Write(_opened ? "]"u8 : "[]"u8);
            _opened = true;
        }
    }
}
