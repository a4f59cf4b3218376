using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Json;
using Tollgate.Dialects.OpenAI;
using Tollgate.Dialects.Responses;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Settlement;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Upstreams.Outbound;
using Tollgate.Gateway.Upstreams.Passthrough;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// OpenAI's Responses API (<c>POST /v1/responses</c>): a passthrough to OpenAI itself (the only provider that serves
/// it); for every other deployment the request is translated once into OpenAI's chat shape, sent through that
/// deployment's outbound dialect, and the answer translated back into a <c>response</c> object or the
/// <c>response.*</c> event sequence. Errors in OpenAI's shape. Stored responses (<c>store</c>, the default) are kept
/// by <see cref="ResponsesState"/>, so <c>previous_response_id</c> works on every provider.
/// </summary>
internal sealed class ResponsesInbound(ResponsesState? state, bool countTokens = false) : InboundDialect
{
    /// <summary><c>responses</c>, or <c>responses_input_tokens</c> for the token counter (<c>POST /v1/responses/input_tokens</c>).</summary>
    public override string Endpoint => countTokens ? "responses_input_tokens" : "responses";

    /// <summary>Counting is free: no rate or budget, but scopes and allowed models apply (it reaches OpenAI with its key).</summary>
    public override bool Free => countTokens;

    public override InboundRequest? Read(ReadOnlyMemory<byte> body, HttpRequest httpRequest, out ApiError? error)
    {
        var fields = OpenAIRequestReader.Read(body.Span, OpenAIRequestReader.Kind.Responses);
        var request = new InboundRequest(body, fields) { Prompt = body };
        error = fields.Error is null ? null : ApiError.BadRequest(fields.Error, fields.ErrorParam);
        if (error is not null)
        {
            return request;
        }

        var owner = ResponsesState.Owner(httpRequest.HttpContext);
        var previous = fields.PreviousResponseId is { } previousId ? state?.Find(previousId, owner) : null;
        var history = previous is null ? [] : ResponsesState.Conversation(previous);

        // Translated once, before admission: the chat shape with the replayed conversation is what is billed as input.
        // A request the translation refuses may still be one OpenAI itself takes (item types only it knows): its
        // error is given only to deployments that need the translation.
        var translation = ResponsesRequestTranslator.Translate(OpenAIRequestReader.WithoutFallbackModels(body, fields).Span, history);
        return new InboundRequest(body, fields)
        {
            // Everything the provider bills as input: instructions, input items (and the replayed history), tools.
            Prompt = previous is null || !translation.IsSuccess ? body : translation.Body,
            OpenAIBody = translation.Body,
            Unsupported = translation.Unsupported,
            DialectState = new ResponsesRequest(translation, history, previous is not null, previous?.Upstream, owner, fields.Store && !countTokens),
        };
    }

    public override bool ClampsOutput => !countTokens;

    public override byte[] WithOutputLimit(ReadOnlySpan<byte> body, long limit) =>
        OutputLimitRewriter.SetTopLevel(body, limit, "max_output_tokens", "max_output_tokens");

    public override Exchange? CreateExchange(InboundRequest request, Route deployment, Func<TokenUsage, decimal?> price, long created, out ApiError? error)
    {
        var prepared = (ResponsesRequest)request.DialectState!;
        var translation = prepared.Translation;

        var previousId = request.Fields.PreviousResponseId;
        if (PassesThrough(request, prepared, deployment))
        {
            error = null;
            return new OpenAIResponsesPassthroughExchange(deployment, request.Fields, request.Body, price, state?.Keeper(prepared, deployment.Upstream.Id), countTokens ? "/responses/input_tokens" : "/responses");
        }

        if (!translation.IsSuccess)
        {
            error = ApiError.BadRequest(translation.Error!, translation.ErrorParam);
            return null;
        }

        if (previousId is not null && !prepared.PreviousFound)
        {
            error = new ApiError(StatusCodes.Status404NotFound, $"Previous response with id '{previousId}' not found.", "invalid_request_error", "previous_response_id", "previous_response_not_found");
            return null;
        }

        if (translation.BuiltInTools.Count > 0)
        {
            error = ApiError.BadRequest($"The tool '{translation.BuiltInTools[0]}' is one of OpenAI's built-in tools, which only OpenAI runs; the provider '{deployment.Upstream.Id}' ({ChatOutbound.DialectName(deployment.Upstream.Dialect)} API) cannot. Use function tools, or a model OpenAI serves.", "tools", "unsupported_tool");
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

        var response = new ResponseObject(ResponseObject.NewId(), created, request.Model, translation.Echo);
        var writer = new ResponsesClientWriter(response, usage => price(outbound.Usage ?? usage), state?.Keeper(prepared, null));
        return new TranslatedExchange(outbound, writer, request.OpenAIBody, request.Unsupported);
    }

    /// <summary>Only OpenAI counts a Responses request: for other providers the gateway estimates from the translated prompt.</summary>
    public override byte[]? AnswerLocally(InboundRequest request, Route deployment)
    {
        var prepared = (ResponsesRequest)request.DialectState!;
        if (!countTokens || !prepared.Translation.IsSuccess || PassesThrough(request, prepared, deployment))
        {
            return null;
        }

        var chat = JsonNode.Parse(prepared.Translation.Body)!;
        var prompt = NodeJson.Utf8(new JsonObject { ["messages"] = chat["messages"]?.DeepClone(), ["tools"] = chat["tools"]?.DeepClone() });
        return NodeJson.Utf8(new JsonObject { ["object"] = "response.input_tokens", ["input_tokens"] = TokenEstimator.CountPrompt(prompt) });
    }

    public override Task WriteErrorAsync(HttpContext context, ApiError error) => error.WriteAsync(context);

    // OpenAI holds its own chain (and its encrypted reasoning): a continuation stays on the provider that made it,
    // and one Tollgate has never seen (made at OpenAI directly) can only go there.
    private static bool PassesThrough(InboundRequest request, ResponsesRequest prepared, Route deployment) =>
        ServesResponses(deployment.Upstream)
        && (request.Fields.PreviousResponseId is null || !prepared.PreviousFound || prepared.PreviousUpstream == deployment.Upstream.Id);

    /// <summary>
    /// Whether the deployment is OpenAI itself, the one provider with a Responses endpoint (other OpenAI-compatible
    /// providers serve chat completions only).
    /// </summary>
    public static bool ServesResponses(Upstream upstream) =>
        upstream.Dialect == UpstreamDialect.OpenAI
        && (string.Equals(upstream.Id, "openai", StringComparison.OrdinalIgnoreCase) || upstream.Settings.BaseUrl.Contains("://api.openai.com", StringComparison.OrdinalIgnoreCase));

    /// <summary>What <see cref="Read"/> prepared: the translation, and whether it replays a stored conversation.</summary>
    /// <param name="Translation">The request in chat's shape, with the replayed history.</param>
    /// <param name="History">The stored conversation <c>previous_response_id</c> names (empty without one).</param>
    /// <param name="PreviousFound">Whether the previous response is in Tollgate's store.</param>
    /// <param name="PreviousUpstream">The provider holding the previous response's own state (OpenAI), if any.</param>
    /// <param name="Owner">The caller's key, who owns what this request stores.</param>
    /// <param name="Store">Whether the response is to be kept.</param>
    internal sealed record ResponsesRequest(ResponsesTranslation Translation, List<JsonNode> History, bool PreviousFound, string? PreviousUpstream, string Owner, bool Store);
}
