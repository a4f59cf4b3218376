using System.Buffers;
using System.IO.Pipelines;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Inbound;

/// <summary>OpenAI's shapes, as they are: <c>data: {chunk}</c> per event and <c>data: [DONE]</c> at a proper end.</summary>
internal sealed class OpenAIClientWriter : IClientWriter
{
    public static OpenAIClientWriter Instance { get; } = new();

    public bool SignalsBreakInBand => false;

    public bool TryWriteResponse(byte[] openAIResponse, IBufferWriter<byte> client)
    {
        client.Write(openAIResponse);
        return true;
    }

    public ClientError TranslateError(ClientError openAIError) => openAIError;

    public void WriteChunk(byte[] chunk, PipeWriter output)
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
