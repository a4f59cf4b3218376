using System.Buffers;
using System.Text;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Inbound;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Upstreams.Passthrough;

/// <summary>
/// A multipart upload (transcription, translation, image edit) to an OpenAI-compatible deployment: the body streamed
/// through (<see cref="UploadContent"/>) with only the model's value replaced; the answer (JSON or text) copied whole
/// and metered by the endpoint's <see cref="UploadRequest.Meter"/>.
/// </summary>
internal sealed class MultipartPassthroughExchange(Route route, UploadRequest upload, string path) : OpenAIWholeBodyExchange(route)
{
    private UploadContent? _content;
    private bool _json;

    public override string ContentType => _json ? "application/json" : "text/plain; charset=utf-8";

    public override ApiError? RequestError => _content is { TooLarge: true } ? RequestBodyReader.TooLarge(upload.Limit) : null;

    public override ReadOnlyMemory<byte> Prompt => ReadOnlyMemory<byte>.Empty;

    public override HttpRequestMessage CreateRequest()
    {
        upload.Started = true;
        var message = Route.Upstream.CreateRequest(new Uri(Route.Upstream.Settings.BaseUrl + path), ReadOnlyMemory<byte>.Empty);
        message.Content?.Dispose();
        _content = new UploadContent(upload.Head, upload.Fields.ModelValue, Encoding.UTF8.GetBytes(Route.UpstreamModel), upload.Rest, upload.ContentType, upload.Limit, upload.Length);
        message.Content = _content;
        return message;
    }

    public override bool TryWriteResponse(ReadOnlySpan<byte> upstreamBody, IBufferWriter<byte> client)
    {
        _json = JsonShapes.IsObject(upstreamBody);
        Used = upload.Meter(upstreamBody, Route.Model, _content?.Sent ?? 0);
        Read = true;
        client.Write(upstreamBody);
        return true;
    }
}
