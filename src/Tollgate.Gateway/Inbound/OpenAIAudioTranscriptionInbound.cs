using Microsoft.AspNetCore.Http;
using Tollgate.Core.Usage;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Relay;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Upstreams.Outbound;
using Tollgate.Gateway.Upstreams.Passthrough;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// OpenAI's <c>POST /v1/audio/transcriptions</c> and <c>/v1/audio/translations</c> (multipart/form-data with a file):
/// the form is read only as far as its <c>model</c> field (<see cref="MultipartHead"/>), the rest streamed to the
/// upstream within the body limit (413 beyond it). Reserved from the upload's size, settled per second or per token
/// from the answer (docs/MODALITIES.md). One attempt only: a streamed upload cannot be replayed to a fallback.
/// </summary>
internal sealed class OpenAIAudioTranscriptionInbound(bool translate) : InboundDialect
{
    public static OpenAIAudioTranscriptionInbound Transcriptions { get; } = new(translate: false);

    public static OpenAIAudioTranscriptionInbound Translations { get; } = new(translate: true);

    public override string Endpoint => translate ? "translations" : "transcriptions";

    public override bool StreamsBody => true;

    public override InboundRequest? Read(ReadOnlyMemory<byte> body, HttpRequest httpRequest, out ApiError? error)
    {
        // Never called: the body is read by ReadHeadAsync.
        error = ApiError.BadRequest("The request must be multipart/form-data with a 'file' and a 'model'.");
        return null;
    }

    public override async ValueTask<InboundRead> ReadHeadAsync(HttpContext context, long limit, PooledBufferWriter head)
    {
        var contentType = context.Request.ContentType;
        if (MultipartHead.Boundary(contentType) is not { } boundary)
        {
            return new InboundRead(null, ApiError.BadRequest("The request must be multipart/form-data with a 'file' and a 'model'.", "file"));
        }

        var length = context.Request.ContentLength;
        if (length > limit)
        {
            return new InboundRead(null, RequestBodyReader.TooLarge(limit));
        }

        var (fields, tooLarge) = await MultipartHead.ReadAsync(context.Request.Body, boundary, limit, head, context.RequestAborted).ConfigureAwait(false);
        if (tooLarge)
        {
            return new InboundRead(null, RequestBodyReader.TooLarge(limit));
        }

        var read = OpenAIRequestReader.ForModel(fields?.Model, OpenAIRequestReader.Kind.Modality);
        if (fields is null || read.Error is not null)
        {
            return new InboundRead(null, ApiError.BadRequest(read.Error ?? "you must provide a model parameter", "model"));
        }

        // Without a Content-Length the upload is bounded by the body limit alone.
        var bound = length ?? limit;
        var upload = new UploadRequest(head, fields, context.Request.Body, contentType!, limit, length);
        return new InboundRead(new InboundRequest(head.WrittenMemory, read)
        {
            WorstCase = model => ModalityPricing.TranscriptionWorstCase(model, bound),
            DialectState = upload,
        }, null);
    }

    public override Exchange? CreateExchange(InboundRequest request, Route deployment, Func<TokenUsage, decimal?> price, long created, out ApiError? error)
    {
        if (deployment.Upstream.Dialect != UpstreamDialect.OpenAI || request.DialectState is not UploadRequest upload)
        {
            error = ApiError.BadRequest($"The provider '{deployment.Upstream.Id}' ({ChatOutbound.DialectName(deployment.Upstream.Dialect)} API) does not serve this endpoint through Tollgate.", "model", "unsupported_endpoint");
            return null;
        }

        if (upload.Started)
        {
            error = new ApiError(StatusCodes.Status502BadGateway, $"The upload was streamed to an earlier deployment, which failed; a streamed upload cannot be sent again to '{deployment.Upstream.Id}'. Retry the request.", "upstream_error", null, "upload_not_replayable");
            return null;
        }

        error = null;
        return new MultipartPassthroughExchange(deployment, upload, translate ? "/audio/translations" : "/audio/transcriptions");
    }

    public override Task WriteErrorAsync(HttpContext context, ApiError error) => error.WriteAsync(context);
}
