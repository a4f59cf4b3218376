using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Gemini.Inbound;
using Tollgate.Dialects.Json;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Settlement;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Upstreams.Outbound;
using Tollgate.Gateway.Upstreams.Passthrough;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// Gemini's native API (<c>/v1beta/models/{model}:{method}</c>, and the same under <c>/v1/</c>): a passthrough to
/// Gemini deployments; for any other, <c>generateContent</c> is translated once into OpenAI's chat shape and the
/// answer translated back into Gemini's responses, embeddings go to OpenAI-compatible deployments as
/// <c>/v1/embeddings</c>, and <c>countTokens</c> is the gateway's own estimate. The model comes from the URL. Errors in
/// Gemini's shape.
/// </summary>
internal sealed class GeminiInbound(GeminiCall call, bool stream = false, bool sse = false) : InboundDialect
{
    public static GeminiInbound Generate { get; } = new(GeminiCall.GenerateContent);

    /// <summary><c>:streamGenerateContent?alt=sse</c>, what Google's SDKs send.</summary>
    public static GeminiInbound StreamSse { get; } = new(GeminiCall.GenerateContent, stream: true, sse: true);

    /// <summary><c>:streamGenerateContent</c> without <c>alt=sse</c>: the responses as one JSON array.</summary>
    public static GeminiInbound StreamArray { get; } = new(GeminiCall.GenerateContent, stream: true, sse: false);

    public static GeminiInbound CountTokens { get; } = new(GeminiCall.CountTokens);

    public static GeminiInbound EmbedContent { get; } = new(GeminiCall.EmbedContent);

    public static GeminiInbound BatchEmbedContents { get; } = new(GeminiCall.BatchEmbedContents);

    public override string Endpoint => call switch
    {
        GeminiCall.GenerateContent => "generate_content",
        GeminiCall.CountTokens => "gemini_count_tokens",
        GeminiCall.EmbedContent => "embed_content",
        _ => "batch_embed_contents",
    };

    public override bool AllowPublic => call != GeminiCall.CountTokens;

    /// <summary>Counting is free, so no rate or budget; scopes and allowed_models apply.</summary>
    public override bool Free => call == GeminiCall.CountTokens;

    /// <summary>The inbound for a path's method (<c>generateContent</c>, ...), or null for a method Tollgate does not serve.</summary>
    public static GeminiInbound? For(string method, bool sse) => method switch
    {
        "generateContent" => Generate,
        "streamGenerateContent" => sse ? StreamSse : StreamArray,
        "countTokens" => CountTokens,
        "embedContent" => EmbedContent,
        "batchEmbedContents" => BatchEmbedContents,
        _ => null,
    };

    /// <summary>
    /// Splits the path after <c>/models/</c> into the model and the method at its last colon (model names may hold
    /// colons and slashes). Kestrel decodes every escape in a path but <c>%2F</c>, so an encoded slash is decoded here.
    /// </summary>
    public static (string Model, string Method) SplitPath(string rest)
    {
        var colon = rest.LastIndexOf(':');
        var model = colon < 0 ? rest : rest[..colon];
        return (model.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase), colon < 0 ? "" : rest[(colon + 1)..]);
    }

    public override InboundRequest? Read(ReadOnlyMemory<byte> body, HttpRequest httpRequest, out ApiError? error)
    {
        var (model, _) = SplitPath(httpRequest.RouteValues["id"] as string ?? "");
        var fields = GeminiInboundReader.Read(body.Span, model, call, stream);

        // Everything the provider bills as input: the whole body (contents, systemInstruction, tools), or the texts embedded.
        var embeds = call is GeminiCall.EmbedContent or GeminiCall.BatchEmbedContents;
        var prompt = embeds && fields.Error is null ? GeminiInboundEmbeddings.Texts(body.Span, call == GeminiCall.BatchEmbedContents) : body;
        var request = new InboundRequest(body, fields) { Prompt = prompt };
        error = fields.Error is null ? null : ApiError.BadRequest(fields.Error, fields.ErrorParam);
        return request;
    }

    public override bool ClampsOutput => call == GeminiCall.GenerateContent;

    /// <summary><c>generationConfig.maxOutputTokens</c> (either spelling of both names, as Gemini's JSON takes them).</summary>
    public override byte[] WithOutputLimit(ReadOnlySpan<byte> body, long limit) =>
        OutputLimitRewriter.SetNested(body, limit, s_generationConfig, "maxOutputTokens", "maxOutputTokens", "max_output_tokens");

    private static readonly string[] s_generationConfig = ["generationConfig", "generation_config"];

    public override Exchange? CreateExchange(InboundRequest request, Route deployment, Func<TokenUsage, decimal?> price, long created, out ApiError? error)
    {
        error = null;
        if (deployment.Upstream.Dialect == UpstreamDialect.Gemini)
        {
            return new GeminiPassthroughExchange(deployment, call, request.Body, request.Prompt, stream, sse, price);
        }

        if (call is GeminiCall.EmbedContent or GeminiCall.BatchEmbedContents)
        {
            return CreateEmbeddings(request, deployment, price, out error);
        }

        if (!TryTranslate(request, deployment, out error))
        {
            return null;
        }

        var outbound = ChatOutbound.Create(deployment, request.OpenAIBody, created, includeUsageChunk: true, price, out error);
        if (outbound is null)
        {
            return null;
        }

        // The outbound's usage is the provider's own (exact); the usage in the OpenAI shape is what it carried over.
        var writer = new GeminiClientWriter(request.Model, sse, usage => price(outbound.Usage ?? usage));
        return new TranslatedExchange(outbound, writer, request.OpenAIBody, request.Unsupported);
    }

    /// <summary>Only Gemini deployments count tokens: for the others the gateway estimates from the prompt's text.</summary>
    public override byte[]? AnswerLocally(InboundRequest request, Route deployment)
    {
        if (call != GeminiCall.CountTokens || deployment.Upstream.Dialect == UpstreamDialect.Gemini || !TryTranslate(request, deployment, out _))
        {
            return null;
        }

        var node = JsonNode.Parse(request.OpenAIBody)!;
        var prompt = NodeJson.Utf8(new JsonObject { ["messages"] = node["messages"]?.DeepClone(), ["tools"] = node["tools"]?.DeepClone() });
        return NodeJson.Utf8(new JsonObject { ["totalTokens"] = TokenEstimator.CountPrompt(prompt) });
    }

    /// <summary>Writes <paramref name="error"/> in Gemini's shape: <c>{"error":{"code","message","status"}}</c>.</summary>
    public override Task WriteErrorAsync(HttpContext context, ApiError error) => WriteAsync(context, error.Status, error.Message);

    /// <summary>Writes a Gemini-shaped error (also for requests that never reach the pipeline: an unknown method).</summary>
    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(GeminiInboundErrors.Body(status, message), context.RequestAborted).AsTask();
    }

    private Exchange? CreateEmbeddings(InboundRequest request, Route deployment, Func<TokenUsage, decimal?> price, out ApiError? error)
    {
        if (deployment.Upstream.Dialect != UpstreamDialect.OpenAI)
        {
            error = ApiError.BadRequest($"The provider '{deployment.Upstream.Id}' ({ChatOutbound.DialectName(deployment.Upstream.Dialect)} API) does not serve embeddings through Tollgate.", "model", "unsupported_endpoint");
            return null;
        }

        var batch = call == GeminiCall.BatchEmbedContents;
        var translation = GeminiInboundEmbeddings.TranslateRequest(request.Body.Span, deployment.UpstreamModel, batch);
        if (!translation.IsSuccess)
        {
            error = ApiError.BadRequest(translation.Error!, translation.ErrorParam);
            return null;
        }

        error = null;
        return new GeminiToOpenAIEmbeddingsExchange(deployment, translation.Body!, batch, price);
    }

    /// <summary>The translation to OpenAI's shape, made once per request; the 400 when the provider refuses what it leaves out.</summary>
    private bool TryTranslate(InboundRequest request, Route deployment, out ApiError? error)
    {
        error = null;
        if (request.OpenAIBody is null)
        {
            var translation = call == GeminiCall.CountTokens
                ? GeminiInboundRequestTranslator.TranslateCountTokens(request.Body.Span, request.Model)
                : GeminiInboundRequestTranslator.Translate(request.Body.Span, request.Model, stream);
            if (!translation.IsSuccess)
            {
                error = ApiError.BadRequest(translation.Error!, translation.ErrorParam);
                return false;
            }

            request.OpenAIBody = translation.Body!;
            request.Unsupported = translation.UnsupportedParameters;
        }

        if (call != GeminiCall.CountTokens && RefuseDropped(request, deployment) is { } refused)
        {
            error = refused;
            return false;
        }

        return true;
    }
}
