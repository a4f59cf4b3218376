using Microsoft.AspNetCore.Http;
using Tollgate.Core.Catalog;
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
/// OpenAI's multipart/form-data endpoints with a file: <c>POST /v1/audio/transcriptions</c>, <c>/v1/audio/translations</c>
/// and <c>/v1/images/edits</c>. The form is read only as far as its <c>model</c> field (<see cref="MultipartHead"/>),
/// the rest streamed to the upstream within the body limit (413 beyond it). Each endpoint checks the fields of the head,
/// reserves its worst case and meters the answer (docs/MODALITIES.md). One attempt only: a streamed upload cannot be
/// replayed to a fallback.
/// </summary>
/// <param name="endpoint">The endpoint's name in the ledger and for scopes.</param>
/// <param name="path">The endpoint under the provider's base URL.</param>
/// <param name="prepare">Checks the head's fields; returns the worst case of a model for an upload of at most the given bytes and the answer's meter, or an error.</param>
internal sealed class OpenAIUploadInbound(string endpoint, string path, Func<MultipartHead, long, (Func<ModelEntry, decimal> WorstCase, UploadMeter Meter, ApiError? Error)> prepare) : InboundDialect
{
    public static OpenAIUploadInbound Transcriptions { get; } = new("transcriptions", "/audio/transcriptions", Transcription);

    public static OpenAIUploadInbound Translations { get; } = new("translations", "/audio/translations", Transcription);

    public static OpenAIUploadInbound ImageEdits { get; } = new("images", "/images/edits", ImageEdit);

    public override string Endpoint => endpoint;

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
        var (worstCase, meter, error) = prepare(fields, length ?? limit);
        var upload = new UploadRequest(head, fields, context.Request.Body, contentType!, limit, length) { Meter = meter };
        return new InboundRead(new InboundRequest(head.WrittenMemory, read)
        {
            WorstCase = worstCase,
            DialectState = upload,
        }, error);
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
        return new MultipartPassthroughExchange(deployment, upload, path);
    }

    private static (Func<ModelEntry, decimal>, UploadMeter, ApiError?) Transcription(MultipartHead fields, long bound) =>
        (model => ModalityPricing.TranscriptionWorstCase(model, bound), ModalityPricing.TranscriptionUsage, null);

    /// <summary>
    /// An image edit, priced as a generation (<see cref="OpenAIImagesInbound"/>): <c>n</c>, <c>size</c> and <c>quality</c>
    /// from the head when the client sent them before the file parts' end, else the dearest (n of
    /// <see cref="OpenAIImagesInbound.MaxImages"/>) for the reservation; settled from the answer.
    /// </summary>
    private static (Func<ModelEntry, decimal>, UploadMeter, ApiError?) ImageEdit(MultipartHead fields, long bound)
    {
        ApiError? error = null;
        long count = OpenAIImagesInbound.MaxImages;
        if (fields.Fields.TryGetValue("n", out var n) && (!long.TryParse(n, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) || count is < 1 or > OpenAIImagesInbound.MaxImages))
        {
            error = ApiError.BadRequest($"'n' must be an integer from 1 to {OpenAIImagesInbound.MaxImages}.", "n");
        }

        var quality = fields.Fields.GetValueOrDefault("quality");
        var size = fields.Fields.GetValueOrDefault("size");
        // The prompt's UTF-8 bytes bound its tokens from above, without running the tokenizer on every request.
        var promptTokens = fields.Fields.TryGetValue("prompt", out var prompt) ? System.Text.Encoding.UTF8.GetByteCount(prompt) : 0;
        return (model => ModalityPricing.ImagesWorstCase(model, count, quality, size, promptTokens), (answer, _, _) => ModalityPricing.ImagesUsage(answer, quality, size), error);
    }

    public override Task WriteErrorAsync(HttpContext context, ApiError error) => error.WriteAsync(context);
}
