using System.Buffers;
using System.Text.Json;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Relay;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Upstreams.Passthrough;

/// <summary>
/// A JSON images, speech or moderation request to an OpenAI-compatible deployment: the body forwarded with only the
/// model rewritten, the answer (JSON or audio bytes) copied whole, and what it used read by the endpoint's meter for
/// the ledger. These endpoints are not streamed through the gateway.
/// </summary>
internal sealed class OpenAIModalityExchange : OpenAIWholeBodyExchange
{
    private readonly OpenAIRequest _request;
    private readonly ReadOnlyMemory<byte> _clientBody;
    private readonly string _path;
    private readonly ModalityMeter _meter;
    private readonly string _contentType;
    private readonly PooledBufferWriter _upstreamBody;

    /// <param name="path">The endpoint under the provider's base URL, e.g. <c>/images/generations</c>.</param>
    /// <param name="contentType">The media type of a successful answer: JSON, or the audio format asked for.</param>
    public OpenAIModalityExchange(Route route, OpenAIRequest request, ReadOnlyMemory<byte> clientBody, string path, ModalityMeter meter, string contentType = "application/json")
        : base(route)
    {
        _request = request;
        _clientBody = clientBody;
        _path = path;
        _meter = meter;
        _contentType = contentType;
        _upstreamBody = new PooledBufferWriter(clientBody.Length + 128);
        OpenAIRequestReader.Rewrite(clientBody.Span, request, JsonEncodedText.Encode(route.UpstreamModel), _upstreamBody);
    }

    public override string ContentType => _contentType;

    public override ReadOnlyMemory<byte> Prompt => _clientBody[_request.PromptRange];

    public override HttpRequestMessage CreateRequest() =>
        Route.Upstream.CreateRequest(new Uri(Route.Upstream.Settings.BaseUrl + _path), _upstreamBody.WrittenMemory);

    public override bool TryWriteResponse(ReadOnlySpan<byte> upstreamBody, IBufferWriter<byte> client)
    {
        // A JSON answer must be an object; audio is whatever bytes came (the sender refuses an empty body).
        if (_contentType == "application/json" && !JsonShapes.IsObject(upstreamBody))
        {
            return false;
        }

        Used = _meter(upstreamBody, Route);
        Read = true;
        client.Write(upstreamBody);
        return true;
    }

    protected override void Release() => _upstreamBody.Dispose();
}
