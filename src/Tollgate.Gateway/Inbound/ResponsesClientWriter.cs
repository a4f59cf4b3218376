using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Json;
using Tollgate.Dialects.Responses;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// The Responses API's shapes for <c>/v1/responses</c> clients whose request was translated to chat: a
/// <c>response</c> object, OpenAI's error object (the same as chat's), and the <c>response.*</c> event sequence; a
/// broken upstream ends in <c>response.failed</c>, which the SDKs raise. The finished response goes to
/// <paramref name="finished"/> (the store).
/// </summary>
internal sealed class ResponsesClientWriter(ResponseObject response, Func<TokenUsage, decimal?> cost, Action<System.Text.Json.Nodes.JsonObject>? finished) : IClientWriter
{
    private readonly ResponsesStreamTranslator _stream = new(response, cost);
    private readonly List<ResponsesSseEvent> _events = [];

    public bool SignalsBreakInBand => true;

    public bool TryWriteResponse(byte[] openAIResponse, IBufferWriter<byte> client)
    {
        if (ResponsesResponseTranslator.Translate(openAIResponse, response, cost) is not { } json)
        {
            return false;
        }

        finished?.Invoke(json);
        client.Write(NodeJson.Utf8(json));
        return true;
    }

    public ClientError TranslateError(ClientError openAIError) => openAIError;

    public void WriteChunk(byte[] chunk, PipeWriter output)
    {
        _events.Clear();
        _stream.Translate(chunk, _events);
        Flush(output);
    }

    public void End(PipeWriter output, bool completed)
    {
        _events.Clear();
        _stream.Complete(completed, _events);
        Flush(output);
        if (response.Status != "failed")
        {
            finished?.Invoke(response.ToJson());
        }
    }

    /// <summary>One Responses SSE event: <c>event: type</c>, then its data.</summary>
    public static void WriteEvent(PipeWriter output, string type, ReadOnlySpan<byte> data)
    {
        output.Write("event: "u8);
        output.Write(Encoding.UTF8.GetBytes(type));
        output.Write("\ndata: "u8);
        output.Write(data);
        output.Write("\n\n"u8);
    }

    private void Flush(PipeWriter output)
    {
        foreach (var e in _events)
        {
            WriteEvent(output, e.Type, e.Data);
        }
    }
}
