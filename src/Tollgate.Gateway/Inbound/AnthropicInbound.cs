using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Anthropic.Inbound;
using Tollgate.Dialects.Json;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Settlement;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Upstreams.Outbound;
using Tollgate.Gateway.Upstreams.Passthrough;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// Anthropic's Messages API (<c>/v1/messages</c>) and its token counter (<c>/v1/messages/count_tokens</c>): a
/// passthrough to Anthropic deployments; for any other, the request is translated once into OpenAI's chat shape and
/// the answer translated back into Anthropic's shapes and event sequence. Errors in Anthropic's shape.
/// </summary>
internal sealed class AnthropicInbound(bool countTokens) : InboundDialect
{
    public static AnthropicInbound Messages { get; } = new(countTokens: false);

    public static AnthropicInbound CountTokens { get; } = new(countTokens: true);

    public override string Endpoint => countTokens ? "count_tokens" : "messages";

    /// <summary>Counting is free, so no rate or budget, but it reaches the provider with its key: scopes and allowed_models apply.</summary>
    public override bool Free => countTokens;

    public override InboundRequest? Read(ReadOnlyMemory<byte> body, HttpRequest httpRequest, out ApiError? error)
    {
        var fields = OpenAIRequestReader.Read(body.Span, countTokens ? OpenAIRequestReader.Kind.CountTokens : OpenAIRequestReader.Kind.Messages);
        var request = new InboundRequest(body, fields)
        {
            // Everything the provider bills as input is in the body: system, messages, tools.
            Prompt = body,
            AnthropicBeta = httpRequest.Headers.TryGetValue("anthropic-beta", out var beta) ? beta.ToString() : null,
        };
        error = fields.Error is null ? null : ApiError.BadRequest(fields.Error, fields.ErrorParam);
        return request;
    }

    /// <summary>
    /// The Messages API requires max_tokens on every path. Checked before admission, else a budgeted key would reserve
    /// the model's whole max output and get a 429 (which clients retry) for an invalid request.
    /// </summary>
    public override ApiError? Validate(InboundRequest request) =>
        !countTokens && request.Fields.MaxTokens is null ? ApiError.BadRequest("max_tokens: Field required (a positive integer).", "max_tokens") : null;

    public override bool ClampsOutput => !countTokens;

    public override byte[] WithOutputLimit(ReadOnlySpan<byte> body, long limit) =>
        OutputLimitRewriter.SetTopLevel(body, limit, "max_tokens", "max_tokens");

    public override Exchange? CreateExchange(InboundRequest request, Route deployment, Func<TokenUsage, decimal?> price, long created, out ApiError? error)
    {
        if (deployment.Upstream.Dialect == UpstreamDialect.Anthropic)
        {
            error = null;
            return new AnthropicPassthroughExchange(deployment, request.Fields, request.Body, price, request.AnthropicBeta, countTokens);
        }

        if (!TryTranslate(request, out error))
        {
            return null;
        }

        if (RefuseDropped(request, deployment) is { } refused)
        {
            error = refused;
            return null;
        }

        var outbound = ChatOutbound.Create(deployment, request.OpenAIBody, created, includeUsageChunk: true, price, out error);
        if (outbound is null)
        {
            return null;
        }

        // The outbound's usage is the provider's own (exact); the usage in the OpenAI shape is what it carried over.
        var writer = new AnthropicClientWriter(request.Model, usage => price(outbound.Usage ?? usage), () => CountPrompt(request));
        return new TranslatedExchange(outbound, writer, request.OpenAIBody, request.Unsupported);
    }

    /// <summary>Other dialects have no counting endpoint: the gateway estimates from the prompt's text.</summary>
    public override byte[]? AnswerLocally(InboundRequest request, Route deployment)
    {
        if (!countTokens || deployment.Upstream.Dialect == UpstreamDialect.Anthropic || !TryTranslate(request, out _))
        {
            return null;
        }

        return NodeJson.Utf8(new JsonObject { ["input_tokens"] = CountPrompt(request) });
    }

    /// <summary>
    /// The gateway's count of a translated prompt (messages, system included, and tools), as count_tokens answers it
    /// and a translated stream's <c>message_start</c> reports it.
    /// </summary>
    private static long CountPrompt(InboundRequest request)
    {
        var node = JsonNode.Parse(request.OpenAIBody)!;
        var prompt = NodeJson.Utf8(new JsonObject { ["messages"] = node["messages"]?.DeepClone(), ["tools"] = node["tools"]?.DeepClone() });
        return TokenEstimator.CountPrompt(prompt);
    }

    /// <summary>
    /// A spent budget is Anthropic's 402 <c>billing_error</c> (what Anthropic answers when credit runs out), which its
    /// SDKs and Claude Code do not retry; other refusals keep their status.
    /// </summary>
    public override ApiError InClientTerms(ApiError error) =>
        error.Code == "insufficient_quota" ? error with { Status = StatusCodes.Status402PaymentRequired } : error;

    /// <summary>Writes <paramref name="error"/> in Anthropic's shape: <c>{"type":"error","error":{"type","message"}}</c>.</summary>
    public override Task WriteErrorAsync(HttpContext context, ApiError error)
    {
        var translated = AnthropicInboundResponseTranslator.TranslateError(JsonShapes.OpenAIError(error.Message, error.Type), error.Status);
        context.Response.StatusCode = translated.StatusCode;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(translated.Body, context.RequestAborted).AsTask();
    }

    /// <summary>The translation to OpenAI's shape, made once per request (on the first deployment that needs it).</summary>
    private bool TryTranslate(InboundRequest request, out ApiError? error)
    {
        error = null;
        if (request.OpenAIBody is not null)
        {
            return true;
        }

        var body = OpenAIRequestReader.WithoutFallbackModels(request.Body, request.Fields);
        if (countTokens)
        {
            // count_tokens takes no max_tokens; the translator wants one, and it does not change the prompt.
            var counted = JsonNode.Parse(body.Span)!.AsObject();
            counted["max_tokens"] ??= 1;
            body = NodeJson.Utf8(counted);
        }

        var translation = AnthropicInboundRequestTranslator.Translate(body.Span, null);
        if (!translation.IsSuccess)
        {
            error = ApiError.BadRequest(translation.Error!.Message, translation.Error.Param);
            return false;
        }

        request.OpenAIBody = translation.Body!;
        request.Unsupported = translation.UnsupportedParameters;
        return true;
    }
}
