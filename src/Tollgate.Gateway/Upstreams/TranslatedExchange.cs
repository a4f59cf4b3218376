using System.Buffers;
using System.IO.Pipelines;
using Tollgate.Core.Usage;
using Tollgate.Gateway.Inbound;
using Tollgate.Gateway.Upstreams.Outbound;

namespace Tollgate.Gateway.Upstreams;

/// <summary>
/// An exchange across dialects: the outbound dialect turns the upstream's answer into OpenAI shapes, and the client's
/// writer turns those into the client's own. Used whenever the client's dialect and the deployment's differ, and for
/// OpenAI-dialect deployments reached by a translated request (<c>/v1/messages</c> to an OpenAI-compatible provider).
/// </summary>
internal sealed class TranslatedExchange(ChatOutbound outbound, IClientWriter writer, ReadOnlyMemory<byte> openAIBody, IReadOnlyList<string>? droppedInbound = null)
    : Exchange(outbound.Route, outbound.Stream)
{
    private readonly List<byte[]> _chunks = [];

    public override IReadOnlyList<string> DroppedParameters { get; } = droppedInbound is { Count: > 0 }
        ? droppedInbound.Concat(outbound.DroppedParameters).Distinct(StringComparer.Ordinal).ToArray()
        : outbound.DroppedParameters;

    public override TokenUsage? Usage => outbound.Usage;

    public override bool Completed => outbound.Completed;

    public override bool StreamFailed => outbound.StreamFailed;

    public override bool SignalsBreakInBand => writer.SignalsBreakInBand;

    public override string StreamContentType => writer.StreamContentType;

    public override ReadOnlyMemory<byte> Prompt => openAIBody;

    public override HttpRequestMessage CreateRequest() => outbound.CreateRequest();

    public override bool TryWriteResponse(ReadOnlySpan<byte> upstreamBody, IBufferWriter<byte> client)
    {
        var translated = outbound.TranslateResponse(upstreamBody);
        if (translated is null)
        {
            return false;
        }

        Retain(translated);
        return writer.TryWriteResponse(translated, client);
    }

    public override ClientError TranslateError(int status, ReadOnlySpan<byte> upstreamBody) =>
        writer.TranslateError(outbound.TranslateError(status, upstreamBody));

    public override bool WriteEvent(ReadOnlySpan<byte> sseEvent, ReadOnlySpan<byte> data, PipeWriter client)
    {
        _chunks.Clear();
        outbound.TranslateEvent(data, _chunks);
        foreach (var chunk in _chunks)
        {
            Retain(chunk);
            writer.WriteChunk(chunk, client);
        }

        return _chunks.Count > 0;
    }

    public override void WriteEnd(PipeWriter client, bool completed)
    {
        if (completed)
        {
            _chunks.Clear();
            outbound.Complete(_chunks);
            foreach (var chunk in _chunks)
            {
                writer.WriteChunk(chunk, client);
            }
        }

        writer.End(client, completed && !outbound.StreamFailed);
    }
}
