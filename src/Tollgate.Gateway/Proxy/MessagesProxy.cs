using Tollgate.Gateway.Admission;
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Anthropic;
using Tollgate.Dialects.Anthropic.Inbound;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Accounting;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Translation;

namespace Tollgate.Gateway.Proxy;

/// <summary>
/// The Anthropic-compatible endpoint, <c>POST /v1/messages</c> (and <c>/v1/messages/count_tokens</c>): a passthrough
/// to an Anthropic upstream (model rewritten, <c>usage.cost</c> added), else the Messages request is translated to
/// an OpenAI chat request for any other dialect and the answer translated back into Anthropic's shapes and event
/// sequence. Errors are in Anthropic's shape. Settled through <see cref="PassthroughProxy.Finish"/> like every request.
/// </summary>
internal sealed class MessagesProxy(
    GatewayOptions options,
    Authenticator authenticator,
    ModelResolver resolver,
    AdmissionControl admission,
    PassthroughProxy proxy,
    TranslatingRelay relay,
    TimeProvider time)
{
    private const int MaxResponseBytes = 64 * 1024 * 1024;

    public Task MessagesAsync(HttpContext context) => HandleAsync(context, countTokens: false);

    public Task CountTokensAsync(HttpContext context) => HandleAsync(context, countTokens: true);

    private async Task HandleAsync(HttpContext context, bool countTokens)
    {
        var record = new RequestRecord("req_" + Guid.CreateVersion7().ToString("N"), countTokens ? "count_tokens" : "messages", time.GetTimestamp(), time.GetUtcNow());
        context.Response.Headers["x-tollgate-request-id"] = record.Id;

        record.Key = authenticator.Authenticate(context, out var authError);
        if (record.Key is null)
        {
            await FailAsync(context, record, authError!).ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            await FailAsync(context, record, new ApiError(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the limit of {options.MaxRequestBodyBytes} bytes.", "invalid_request_error", null, "request_too_large")).ConfigureAwait(false);
            return;
        }

        if (ParseBody(body) is not { } root)
        {
            await FailAsync(context, record, ApiError.BadRequest("The request body must be a JSON object.")).ConfigureAwait(false);
            return;
        }

        if (root["model"] is not JsonValue modelValue || !modelValue.TryGetValue<string>(out var model) || model.Length == 0)
        {
            await FailAsync(context, record, ApiError.BadRequest("model: Field required", "model")).ConfigureAwait(false);
            return;
        }

        record.RequestedModel = model;
        record.Stream = !countTokens && root["stream"] is JsonValue s && s.TryGetValue<bool>(out var stream) && stream;
        var route = resolver.Resolve(model, out var routeError);
        if (route is null)
        {
            await FailAsync(context, record, routeError!).ConfigureAwait(false);
            return;
        }

        record.Route = route;
        context.Response.Headers["x-tollgate-provider"] = route.Upstream.Id;
        if (countTokens)
        {
            // Free, so no rate or budget, but it reaches the provider with its key: scopes and allowed_models apply.
            if (AdmissionControl.Authorize(record) is { } forbidden)
            {
                await FailAsync(context, record, forbidden).ConfigureAwait(false);
                return;
            }
        }
        else
        {
            // The Messages API requires max_tokens on every path. Checked before admission, else a budgeted key
            // would reserve the model's whole max output and get a 429 (which clients retry) for an invalid request.
            if (root["max_tokens"] is not JsonValue mt || !mt.TryGetValue<int>(out var max) || max < 1)
            {
                await FailAsync(context, record, ApiError.BadRequest("max_tokens: Field required (a positive integer).", "max_tokens")).ConfigureAwait(false);
                return;
            }

            var admitted = await admission.AdmitAsync(context, record, body, max).ConfigureAwait(false);
            if (admitted.Error is { } refused)
            {
                await FailAsync(context, record, refused).ConfigureAwait(false);
                return;
            }
        }

        var isAnthropic = route.Upstream.Settings.Dialect == UpstreamDialect.Anthropic;
        if (countTokens)
        {
            await CountTokensAsync(context, record, route, root, isAnthropic).ConfigureAwait(false);
        }
        else if (isAnthropic)
        {
            await PassthroughAsync(context, record, route, root).ConfigureAwait(false);
        }
        else
        {
            await TranslateAsync(context, record, route, model, body).ConfigureAwait(false);
        }
    }

    private Task PassthroughAsync(HttpContext context, RequestRecord record, Route route, JsonObject root) =>
        ForwardToAnthropicAsync(context, record, route, root, "/v1/messages", (response, timeout) => record.Stream
            ? PassthroughStreamAsync(context, record, route, response, timeout)
            : PassthroughResponseAsync(context, record, route, response, timeout.Token));

    /// <summary>
    /// Sends <paramref name="root"/> (with the upstream's model name) to an Anthropic upstream's <paramref name="path"/>:
    /// send failures and error answers are handled here, a success goes to <paramref name="onSuccess"/>.
    /// </summary>
    private async Task ForwardToAnthropicAsync(HttpContext context, RequestRecord record, Route route, JsonObject root, string path, Func<HttpResponseMessage, CancellationTokenSource, Task> onSuccess)
    {
        root["model"] = route.UpstreamModel;
        using var message = AnthropicExchange.CreateMessagesRequest(route, JsonSerializer.SerializeToUtf8Bytes(root), path);
        CopyBetaHeader(context, message);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var (response, sendError) = await relay.SendAsync(context, record, route, message, timeout, proxy).ConfigureAwait(false);
        if (sendError is not null)
        {
            await FailAsync(context, record, sendError).ConfigureAwait(false);
            return;
        }

        if (response is null)
        {
            return;
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                await RelayAnthropicErrorAsync(context, record, route, response, timeout.Token).ConfigureAwait(false);
                return;
            }

            await onSuccess(response, timeout).ConfigureAwait(false);
        }
    }

    private async Task PassthroughResponseAsync(HttpContext context, RequestRecord record, Route route, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] raw;
        try
        {
            raw = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            await FailAsync(context, record, new ApiError(StatusCodes.Status502BadGateway, $"The provider '{route.Upstream.Id}' broke off while sending its response.", "upstream_error", null, "upstream_error")).ConfigureAwait(false);
            return;
        }

        record.TtftMs = time.GetElapsedTime(record.StartTimestamp).TotalMilliseconds;
        JsonObject? message = null;
        try
        {
            message = JsonNode.Parse(raw) as JsonObject;
        }
        catch (JsonException)
        {
            // Not JSON: reported below.
        }

        if (message?["usage"] is not JsonObject usageNode)
        {
            await FailAsync(context, record, new ApiError(StatusCodes.Status502BadGateway, $"The provider '{route.Upstream.Id}' sent a response without usage.", "upstream_error", null, "upstream_invalid_response")).ConfigureAwait(false);
            return;
        }

        var usage = ParseUsage(usageNode);
        var cost = record.Price(usage);
        if (cost is { } c)
        {
            usageNode["cost"] = Money(c);
        }

        proxy.Finish(record, StatusCodes.Status200OK, null, usage, false);
        await TranslatingRelay.WriteJsonAsync(context, StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(message)).ConfigureAwait(false);
    }

    /// <summary>
    /// Forwards Anthropic's events as they are, flushed per read; usage is gathered from <c>message_start</c> and
    /// <c>message_delta</c>, and the final <c>message_delta</c>'s usage gets <c>cost</c>.
    /// </summary>
    private async Task PassthroughStreamAsync(HttpContext context, RequestRecord record, Route route, HttpResponseMessage response, CancellationTokenSource timeout)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var output = context.Response.BodyWriter;

        // The OpenAI-direction translator is used only for its usage accounting; its chunks are discarded.
        var usageReader = new AnthropicStreamTranslator(new AnthropicResponseOptions());
        var discard = new List<byte[]>();
        using var pending = new PooledBufferWriter(16 * 1024);
        var status = StatusCodes.Status200OK;
        string? errorType = null;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            while (true)
            {
                timeout.CancelAfter(options.UpstreamTimeout);
                var n = await stream.ReadAsync(pending.GetMemory(8192), timeout.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                pending.Advance(n);
                var consumed = 0;
                int length;
                var wrote = false;
                while ((length = SseEvents.FindEventLength(pending.WrittenSpan[consumed..])) > 0)
                {
                    var evt = pending.WrittenSpan.Slice(consumed, length);
                    consumed += length;
                    record.TtftMs ??= time.GetElapsedTime(record.StartTimestamp).TotalMilliseconds;
                    wrote = true;
                    if (!SseEvents.TryGetData(evt, out var data) || data.IsEmpty)
                    {
                        output.Write(evt);
                        continue;
                    }

                    discard.Clear();
                    usageReader.Translate(null, data, discard);
                    if (data.IndexOf("\"message_delta\""u8) >= 0 && WithCost(data, record, usageReader.Usage) is { } patched)
                    {
                        AnthropicChunkSink.WriteEvent(output, "message_delta", patched);
                        continue;
                    }

                    output.Write(evt);
                }

                pending.Consume(consumed);
                if (wrote)
                {
                    var flush = await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    if (flush.IsCanceled || flush.IsCompleted)
                    {
                        break;
                    }
                }
            }

            if (!usageReader.IsCompleted && !usageReader.HasError)
            {
                status = StatusCodes.Status502BadGateway;
                errorType = "upstream_stream_incomplete";
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = StatusCodes.Status499ClientClosedRequest;
            errorType = "client_closed";
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            status = ex is OperationCanceledException ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;
            errorType = ex is OperationCanceledException ? "upstream_timeout" : "upstream_stream_error";
        }

        var usage = usageReader.Usage;
        proxy.Finish(record, status, errorType, usage, false);
        if (status is not (StatusCodes.Status200OK or StatusCodes.Status499ClientClosedRequest))
        {
            // The error event tells the client (Anthropic's streams end after one); an abort could drop it unsent.
            AnthropicChunkSink.WriteEvent(output, "error", """{"type":"error","error":{"type":"api_error","message":"The upstream provider's stream broke off."}}"""u8);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task TranslateAsync(HttpContext context, RequestRecord record, Route route, string clientModel, byte[] body)
    {
        var translation = AnthropicInboundRequestTranslator.Translate(body, route.UpstreamModel);
        if (!translation.IsSuccess)
        {
            await FailAsync(context, record, ApiError.BadRequest(translation.Error!.Message, translation.Error.Param)).ConfigureAwait(false);
            return;
        }

        if (route.Upstream.Settings.UnsupportedParameters == UnsupportedParameterPolicy.Reject && translation.UnsupportedParameters.Count > 0)
        {
            var param = translation.UnsupportedParameters[0];
            await FailAsync(context, record, ApiError.BadRequest($"The parameter '{param}' is not supported by the provider '{route.Upstream.Id}' ({route.Upstream.Settings.Dialect} API).", param, "unsupported_parameter")).ConfigureAwait(false);
            return;
        }

        var openAIBody = translation.Body!;
        var exchange = ChatExchange.Create(route, openAIBody, time.GetUtcNow().ToUnixTimeSeconds(), includeUsageChunk: true, record.Price, out var createError);
        if (exchange is null)
        {
            await FailAsync(context, record, createError!).ConfigureAwait(false);
            return;
        }

        var dropped = translation.UnsupportedParameters.Concat(exchange.DroppedParameters).Distinct(StringComparer.Ordinal).ToArray();
        if (dropped.Length > 0)
        {
            context.Response.Headers[TranslatingRelay.DroppedParamsHeader] = string.Join(", ", dropped);
        }

        // The exchange's usage is the provider's own (exact); the inbound translator's is what the OpenAI shape carried.
        Func<TokenUsage, decimal?> cost = usage => record.Price(exchange.Usage ?? usage);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var (response, sendError) = await relay.SendAsync(context, record, exchange, timeout, proxy).ConfigureAwait(false);
        if (sendError is not null)
        {
            await FailAsync(context, record, sendError).ConfigureAwait(false);
            return;
        }

        if (response is null)
        {
            return;
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var error = await TranslatingRelay.ReadErrorAsync(response, exchange, context, timeout.Token).ConfigureAwait(false);
                var translated = AnthropicInboundResponseTranslator.TranslateError(error.Body, error.Status);
                proxy.Finish(record, translated.StatusCode, "upstream_" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), null, false);
                await TranslatingRelay.WriteJsonAsync(context, translated.StatusCode, translated.Body).ConfigureAwait(false);
            }
            else if (exchange.Stream)
            {
                var sink = new AnthropicChunkSink(new AnthropicInboundStreamTranslator(clientModel, cost));
                await relay.StreamAsync(context, record, exchange, response, timeout, sink, openAIBody, proxy).ConfigureAwait(false);
            }
            else
            {
                var (json, failure) = await relay.ReadResponseAsync(context, record, exchange, response, timeout.Token, proxy).ConfigureAwait(false);
                if (failure is not null)
                {
                    await FailAsync(context, record, failure).ConfigureAwait(false);
                    return;
                }

                if (json is null)
                {
                    return;
                }

                if (!AnthropicInboundResponseTranslator.TryTranslate(json, clientModel, cost, out var result) || result is null)
                {
                    await FailAsync(context, record, new ApiError(StatusCodes.Status502BadGateway, $"The provider '{route.Upstream.Id}' sent a response that could not be translated.", "upstream_error", null, "upstream_invalid_response")).ConfigureAwait(false);
                    return;
                }

                TranslatingRelay.Settle(record, exchange, openAIBody, [json], proxy, StatusCodes.Status200OK, null);
                await TranslatingRelay.WriteJsonAsync(context, StatusCodes.Status200OK, result.Body).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Anthropic upstreams count exactly (their own endpoint, model rewritten); for other dialects the gateway
    /// estimates from the text, as no OpenAI-compatible API has a counting endpoint.
    /// </summary>
    private async Task CountTokensAsync(HttpContext context, RequestRecord record, Route route, JsonObject root, bool isAnthropic)
    {
        if (!isAnthropic)
        {
            // count_tokens takes no max_tokens; the translator wants one, and it does not change the prompt.
            var counted = root.DeepClone().AsObject();
            counted["max_tokens"] ??= 1;
            var translation = AnthropicInboundRequestTranslator.Translate(JsonSerializer.SerializeToUtf8Bytes(counted), route.UpstreamModel);
            if (!translation.IsSuccess)
            {
                await FailAsync(context, record, ApiError.BadRequest(translation.Error!.Message, translation.Error.Param)).ConfigureAwait(false);
                return;
            }

            var estimate = TokenEstimator.CountPrompt(MessagesOf(translation.Body!));
            proxy.Finish(record, StatusCodes.Status200OK, null, null, false);
            await TranslatingRelay.WriteJsonAsync(context, StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["input_tokens"] = estimate })).ConfigureAwait(false);
            return;
        }

        await ForwardToAnthropicAsync(context, record, route, root, "/v1/messages/count_tokens", async (response, timeout) =>
        {
            var raw = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            proxy.Finish(record, StatusCodes.Status200OK, null, null, false);
            await TranslatingRelay.WriteJsonAsync(context, StatusCodes.Status200OK, raw).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static ReadOnlySpan<byte> MessagesOf(byte[] openAIBody)
    {
        var node = JsonNode.Parse(openAIBody)!;
        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["messages"] = node["messages"]?.DeepClone(), ["tools"] = node["tools"]?.DeepClone() });
    }

    /// <summary>An Anthropic upstream's error, already in Anthropic's shape, relayed scrubbed of the provider's key.</summary>
    private async Task RelayAnthropicErrorAsync(HttpContext context, RequestRecord record, Route route, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string text;
        try
        {
            text = route.Upstream.Scrub(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            text = string.Empty;
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString();
        }

        var errorType = "upstream_" + status.ToString(CultureInfo.InvariantCulture);
        if (status >= 400 && IsAnthropicError(text))
        {
            proxy.Finish(record, status, errorType, null, false);
            await TranslatingRelay.WriteJsonAsync(context, status, Encoding.UTF8.GetBytes(text)).ConfigureAwait(false);
            return;
        }

        await FailAsync(context, record, new ApiError(status >= 400 ? status : StatusCodes.Status502BadGateway, $"The provider '{route.Upstream.Id}' answered {status}.", "upstream_error", null, errorType)).ConfigureAwait(false);
    }

    private static bool IsAnthropicError(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject o && o["type"]?.GetValue<string>() == "error" && o["error"] is JsonObject;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static byte[]? WithCost(ReadOnlySpan<byte> data, RequestRecord record, TokenUsage usage)
    {
        if (record.Price(usage) is not { } cost)
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(data) is JsonObject o && o["type"]?.GetValue<string>() == "message_delta" && o["usage"] is JsonObject u)
            {
                u["cost"] = Money(cost);
                return JsonSerializer.SerializeToUtf8Bytes(o);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Leave the event as it came.
        }

        return null;
    }

    private static TokenUsage ParseUsage(JsonObject usage)
    {
        using var doc = JsonDocument.Parse(usage.ToJsonString());
        return AnthropicUsage.Parse(doc.RootElement);
    }

    private static decimal Money(decimal value) => Tollgate.Core.Pricing.Money.Normalize(value);

    private static void CopyBetaHeader(HttpContext context, HttpRequestMessage message)
    {
        // Beta features are the client's choice; the version header is the gateway's.
        if (context.Request.Headers.TryGetValue("anthropic-beta", out var beta))
        {
            message.Headers.TryAddWithoutValidation("anthropic-beta", beta.ToString());
        }
    }

    private async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        var limit = options.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        using var body = new PooledBufferWriter((int)Math.Clamp(context.Request.ContentLength ?? 0, 4096, 1024 * 1024) + 1);
        while (true)
        {
            var n = await context.Request.Body.ReadAsync(body.GetMemory(8192), context.RequestAborted).ConfigureAwait(false);
            if (n == 0)
            {
                return body.WrittenSpan.ToArray();
            }

            body.Advance(n);
            if (body.Count > limit)
            {
                return null;
            }
        }
    }

    private static JsonObject? ParseBody(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Task FailAsync(HttpContext context, RequestRecord record, ApiError error)
    {
        proxy.Finish(record, error.Status, error.Code ?? error.Type, null, false);
        return WriteErrorAsync(context, error);
    }

    /// <summary>Writes <paramref name="error"/> in Anthropic's shape: <c>{"type":"error","error":{"type","message"}}</c>.</summary>
    private static Task WriteErrorAsync(HttpContext context, ApiError error)
    {
        var openAI = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["error"] = new JsonObject { ["message"] = error.Message, ["type"] = error.Type } });
        var translated = AnthropicInboundResponseTranslator.TranslateError(openAI, error.Status);
        return TranslatingRelay.WriteJsonAsync(context, translated.StatusCode, translated.Body);
    }
}
