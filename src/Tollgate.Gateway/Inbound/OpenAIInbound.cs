using Microsoft.AspNetCore.Http;
using Tollgate.Core.Usage;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Upstreams.Outbound;
using Tollgate.Gateway.Upstreams.Passthrough;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// OpenAI's Chat Completions (<c>/v1/chat/completions</c>) and Embeddings (<c>/v1/embeddings</c>): a passthrough to
/// OpenAI-compatible deployments, a translation to the others (embeddings: Gemini's <c>batchEmbedContents</c>);
/// errors in OpenAI's shape.
/// </summary>
internal sealed class OpenAIInbound(OpenAIRequestReader.Kind kind) : InboundDialect
{
    public static OpenAIInbound Chat { get; } = new(OpenAIRequestReader.Kind.Chat);

    public static OpenAIInbound Embeddings { get; } = new(OpenAIRequestReader.Kind.Embeddings);

    public override string Endpoint => kind == OpenAIRequestReader.Kind.Chat ? "chat" : "embeddings";

    public override bool AllowPublic => true;

    public override InboundRequest? Read(ReadOnlyMemory<byte> body, HttpRequest httpRequest, out ApiError? error)
    {
        var fields = OpenAIRequestReader.Read(body.Span, kind);
        if (fields.Error is not null)
        {
            error = ApiError.BadRequest(fields.Error, fields.ErrorParam);
            return new InboundRequest(body, fields);
        }

        error = null;
        return new InboundRequest(body, fields) { Prompt = body[fields.PromptRange] };
    }

    public override Exchange? CreateExchange(InboundRequest request, Route deployment, Func<TokenUsage, decimal?> price, long created, out ApiError? error)
    {
        if (deployment.Upstream.Dialect == UpstreamDialect.OpenAI)
        {
            error = null;
            return new OpenAIPassthroughExchange(deployment, request.Fields, request.Body, price);
        }

        if (kind == OpenAIRequestReader.Kind.Embeddings && deployment.Upstream.Dialect == UpstreamDialect.Gemini)
        {
            return OpenAIToGeminiEmbeddingsExchange.Create(deployment, request.Fields, request.Body, price, out error);
        }

        if (kind != OpenAIRequestReader.Kind.Chat)
        {
            error = ApiError.BadRequest($"The provider '{deployment.Upstream.Id}' ({ChatOutbound.DialectName(deployment.Upstream.Dialect)} API) does not serve this endpoint through Tollgate.", "model", "unsupported_endpoint");
            return null;
        }

        var body = OpenAIRequestReader.WithoutFallbackModels(request.Body, request.Fields);
        var outbound = ChatOutbound.Create(deployment, body.Span, created, request.Fields.ClientIncludeUsage, price, out error);
        return outbound is null ? null : new TranslatedExchange(outbound, OpenAIClientWriter.Instance, body);
    }

    public override Task WriteErrorAsync(HttpContext context, ApiError error) => error.WriteAsync(context);
}
