using System.Buffers;
using System.IO.Pipelines;

namespace Tollgate.Gateway.Translation;

/// <summary>OpenAI's SSE framing: <c>data: {chunk}</c> per event, <c>data: [DONE]</c> at a proper end.</summary>
internal sealed class OpenAIChunkSink : IChunkSink
{
    public static OpenAIChunkSink Instance { get; } = new();

    /// <inheritdoc/>
    public bool SignalsBreakInBand => false;

    public void Write(byte[] chunk, PipeWriter output)
    {
        output.Write("data: "u8);
        output.Write(chunk);
        output.Write("\n\n"u8);
    }

    public void End(PipeWriter output, bool completed)
    {
        if (completed)
        {
            output.Write("data: [DONE]\n\n"u8);
        }
    }
}
