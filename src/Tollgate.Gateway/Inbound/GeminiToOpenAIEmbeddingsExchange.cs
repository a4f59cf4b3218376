using System.Buffers;
using System.IO.Pipelines;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Gemini.Inbound;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// Gemini's <c>embedContent</c> / <c>batchEmbedContents</c> to an OpenAI-compatible deployment: sent as one
/// <c>/v1/embeddings</c> request (<see cref="GeminiInboundEmbeddings"/>), the vectors answered in Gemini's shape with
/// the provider's usage priced into <c>tollgate.cost</c>. Never streamed.
/// </summary>
internal sealed class GeminiToOpenAIEmbeddingsExchange(Route route, byte[] openAIBody, bool batch, Func<TokenUsage, decimal?> price) : Exchange(route, stream: false)
{
    private TokenUsage? _usage;

    public override TokenUsage? Usage => _usage;

    public override bool Completed => true;

    public override bool SignalsBreakInBand => true;

    public override ReadOnlyMemory<byte> Prompt => openAIBody;

    public override HttpRequestMessage CreateRequest() => Route.Upstream.CreateRequest(Route.Upstream.EmbeddingsUri, openAIBody);

    public override bool TryWriteResponse(ReadOnlySpan<byte> upstreamBody, IBufferWriter<byte> client)
    {
        _usage = OpenAIUsage.TryFindUsage(upstreamBody, out var usage) ? usage : null;
        if (GeminiInboundEmbeddings.TranslateResponse(upstreamBody, batch, _usage is null ? null : price(_usage)) is not { } body)
        {
            return false;
        }

        client.Write(body);
        return true;
    }

    public override ClientError TranslateError(int status, ReadOnlySpan<byte> upstreamBody) =>
        new(status >= 400 ? status : 502, GeminiInboundErrors.FromOpenAI(status >= 400 ? status : 502, upstreamBody));

    public override bool WriteEvent(ReadOnlySpan<byte> sseEvent, ReadOnlySpan<byte> data, PipeWriter client) => false;

    public override void WriteEnd(PipeWriter client, bool completed)
    {
    }
}
