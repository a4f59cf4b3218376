using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Tollgate.Core.Usage;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Accounting;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Translation;

namespace Tollgate.Gateway.Proxy;

/// <summary>
/// The cross-dialect path: an OpenAI-shaped chat request to an Anthropic or Gemini upstream (and, for
/// <c>/v1/messages</c>, to any upstream). The <see cref="ChatExchange"/> translates; this class sends, streams,
/// flushes per event and settles through <see cref="PassthroughProxy.Finish"/>, the one ledger path.
/// </summary>
internal sealed partial class TranslatingRelay(GatewayOptions options, TimeProvider time, ILogger<TranslatingRelay> logger)
{
    /// <summary>Names the parameters a translated request left out.</summary>
    public const string DroppedParamsHeader = "x-tollgate-dropped-params";

    private const int MaxResponseBytes = 64 * 1024 * 1024;
    private const int MaxErrorBytes = 256 * 1024;
    private const int MaxRetainedStreamBytes = 4 * 1024 * 1024;

    /// <summary>Serves <c>/v1/chat/completions</c> for a route whose upstream is not OpenAI-compatible.</summary>
    public async Task ChatAsync(HttpContext context, RequestRecord record, OpenAIRequest request, ReadOnlyMemory<byte> body, Route route, PassthroughProxy proxy)
    {
        // The translators do not carry service_tier upstream (it is dropped and named), so the request runs at standard.
        record.Tier = Tollgate.Core.Pricing.ServiceTier.Standard;
        var exchange = ChatExchange.Create(route, body.Span, time.GetUtcNow().ToUnixTimeSeconds(), request.ClientIncludeUsage, record.Price, out var createError);
        if (exchange is null)
        {
            await proxy.FailAsync(context, record, createError!).ConfigureAwait(false);
            return;
        }

        AddDroppedHeader(context, exchange);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var (response, sendError) = await SendAsync(context, record, exchange, timeout, proxy).ConfigureAwait(false);
        if (sendError is not null)
        {
            await proxy.FailAsync(context, record, sendError).ConfigureAwait(false);
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
                var error = await ReadErrorAsync(response, exchange, context, timeout.Token).ConfigureAwait(false);
                proxy.Finish(record, error.Status, "upstream_" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), null, false);
                await WriteJsonAsync(context, error.Status, error.Body).ConfigureAwait(false);
            }
            else if (exchange.Stream)
            {
                await StreamAsync(context, record, exchange, response, timeout, OpenAIChunkSink.Instance, body, proxy).ConfigureAwait(false);
            }
            else
            {
                var (json, failure) = await ReadResponseAsync(context, record, exchange, response, timeout.Token, proxy).ConfigureAwait(false);
                if (failure is not null)
                {
                    await proxy.FailAsync(context, record, failure).ConfigureAwait(false);
                }
                else if (json is not null)
                {
                    Settle(record, exchange, body, [json], proxy, StatusCodes.Status200OK, null);
                    await WriteJsonAsync(context, StatusCodes.Status200OK, json).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Sends the exchange's request. A null response with a null error means the client went away (already settled).</summary>
    internal async Task<(HttpResponseMessage? Response, ApiError? Error)> SendAsync(HttpContext context, RequestRecord record, ChatExchange exchange, CancellationTokenSource timeout, PassthroughProxy proxy)
    {
        using var message = exchange.CreateRequest();
        return await SendAsync(context, record, exchange.Route, message, timeout, proxy).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="message"/> to the route's upstream with the gateway's timeout and error mapping.</summary>
    internal async Task<(HttpResponseMessage? Response, ApiError? Error)> SendAsync(HttpContext context, RequestRecord record, Route route, HttpRequestMessage message, CancellationTokenSource timeout, PassthroughProxy proxy)
    {
        timeout.CancelAfter(options.UpstreamTimeout);
        try
        {
            var response = await route.Upstream.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return (response, null);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            proxy.Finish(record, StatusCodes.Status499ClientClosedRequest, "client_closed", null, false);
            return (null, null);
        }
        catch (OperationCanceledException)
        {
            return (null, new ApiError(StatusCodes.Status504GatewayTimeout, $"The provider '{route.Upstream.Id}' did not answer within {options.UpstreamTimeout.TotalSeconds:0.#} s.", "upstream_error", null, "upstream_timeout"));
        }
        catch (HttpRequestException ex)
        {
            LogUpstreamUnreachable(logger, route.Upstream.Id, ex.HttpRequestError);
            return (null, new ApiError(StatusCodes.Status502BadGateway, $"The provider '{route.Upstream.Id}' could not be reached.", "upstream_error", null, "upstream_unreachable"));
        }
    }

    /// <summary>Reads an upstream error, scrubbed of the provider's key, in OpenAI's shape; sets Retry-After.</summary>
    internal static async Task<UpstreamError> ReadErrorAsync(HttpResponseMessage response, ChatExchange exchange, HttpContext context, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        byte[] raw;
        try
        {
            raw = await ReadAllAsync(response, MaxErrorBytes, truncate: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            raw = [];
        }

        var scrubbed = Encoding.UTF8.GetBytes(exchange.Route.Upstream.Scrub(Encoding.UTF8.GetString(raw)));
        var error = exchange.TranslateError(status < 400 ? StatusCodes.Status502BadGateway : status, scrubbed);
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        else if (response.Headers.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString();
        }

        return error;
    }

    /// <summary>Reads and translates a whole response. A null body with a null failure means the client went away (settled).</summary>
    internal async Task<(byte[]? Body, ApiError? Failure)> ReadResponseAsync(HttpContext context, RequestRecord record, ChatExchange exchange, HttpResponseMessage response, CancellationToken cancellationToken, PassthroughProxy proxy)
    {
        byte[] raw;
        try
        {
            raw = await ReadAllAsync(response, MaxResponseBytes, truncate: false, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            proxy.Finish(record, StatusCodes.Status499ClientClosedRequest, "client_closed", null, false);
            return (null, null);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            var timedOut = ex is OperationCanceledException;
            return (null, new ApiError(timedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway, $"The provider '{exchange.Route.Upstream.Id}' {(timedOut ? "timed out" : "broke off")} while sending its response.", "upstream_error", null, timedOut ? "upstream_timeout" : "upstream_error"));
        }

        record.TtftMs = time.GetElapsedTime(record.StartTimestamp).TotalMilliseconds;
        var translated = exchange.TranslateResponse(raw);
        return translated is null
            ? (null, new ApiError(StatusCodes.Status502BadGateway, $"The provider '{exchange.Route.Upstream.Id}' sent a response that could not be read.", "upstream_error", null, "upstream_invalid_response"))
            : (translated, null);
    }

    /// <summary>
    /// Relays a stream: each upstream event is translated and written through <paramref name="sink"/>, flushed per
    /// event; the ledger is settled once at the end with the upstream's usage (or an estimate when it sent none).
    /// </summary>
    internal async Task StreamAsync(HttpContext context, RequestRecord record, ChatExchange exchange, HttpResponseMessage response, CancellationTokenSource timeout, IChunkSink sink, ReadOnlyMemory<byte> requestBody, PassthroughProxy proxy)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";

        var output = context.Response.BodyWriter;
        var chunks = new List<byte[]>();
        var retained = new List<ReadOnlyMemory<byte>>();
        var retainedBytes = 0;
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
                var span = pending.WrittenSpan;
                var wrote = false;
                while ((length = SseEvents.FindEventLength(span[consumed..])) > 0)
                {
                    var evt = span.Slice(consumed, length);
                    consumed += length;
                    if (!SseEvents.TryGetData(evt, out var data) || data.IsEmpty)
                    {
                        continue;
                    }

                    chunks.Clear();
                    exchange.TranslateEvent(data, chunks);
                    foreach (var chunk in chunks)
                    {
                        record.TtftMs ??= time.GetElapsedTime(record.StartTimestamp).TotalMilliseconds;
                        sink.Write(chunk, output);
                        wrote = true;
                        if (retainedBytes < MaxRetainedStreamBytes)
                        {
                            retained.Add(chunk);
                            retainedBytes += chunk.Length;
                        }
                    }
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

            if (exchange.StreamFailed)
            {
                // The provider's error event went to the client as it came; the stream is not a whole answer.
                status = StatusCodes.Status502BadGateway;
                errorType = "upstream_stream_error";
            }
            else if (!exchange.Completed)
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

        Settle(record, exchange, requestBody, retained, proxy, status, errorType);
        if (status == StatusCodes.Status200OK)
        {
            chunks.Clear();
            exchange.Complete(chunks);
            foreach (var chunk in chunks)
            {
                sink.Write(chunk, output);
            }

            sink.End(output, completed: true);
            await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        else if (exchange.StreamFailed)
        {
            // The provider's own error event reached the client; end there, without [DONE] or message_stop.
            sink.End(output, completed: false);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        else if (status != StatusCodes.Status499ClientClosedRequest)
        {
            // Pass the break on: a client must not take a cut stream for a complete one. An error event says so
            // itself (Anthropic's streams end after one), and aborting could drop it before it is sent.
            sink.End(output, completed: false);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (!sink.SignalsBreakInBand)
            {
                context.Abort();
            }
        }
    }

    /// <summary>The one ledger entry: the upstream's usage, or a token estimate marked as such.</summary>
    internal static void Settle(RequestRecord record, ChatExchange exchange, ReadOnlyMemory<byte> requestBody, IReadOnlyList<ReadOnlyMemory<byte>> output, PassthroughProxy proxy, int status, string? errorType)
    {
        if (exchange.Usage is { } usage)
        {
            proxy.Finish(record, status, errorType, usage, false);
            return;
        }

        var estimated = TokenEstimator.Estimate(TokenEstimator.CountPrompt(requestBody.Span), TokenEstimator.CountCompletion(output));
        proxy.Finish(record, status, errorType, estimated, true);
    }

    internal static void AddDroppedHeader(HttpContext context, ChatExchange exchange)
    {
        if (exchange.DroppedParameters.Count > 0)
        {
            context.Response.Headers[DroppedParamsHeader] = string.Join(", ", exchange.DroppedParameters);
        }
    }

    internal static async Task WriteJsonAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadAllAsync(HttpResponseMessage response, int limit, bool truncate, CancellationToken cancellationToken)
    {
        using var content = new PooledBufferWriter(16 * 1024);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        int n;
        while ((n = await stream.ReadAsync(content.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false)) > 0)
        {
            content.Advance(n);
            if (content.Count > limit)
            {
                if (truncate)
                {
                    break;
                }

                throw new IOException("The provider's response is larger than the gateway accepts.");
            }
        }

        return content.WrittenSpan.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider} unreachable: {Error}")]
    private static partial void LogUpstreamUnreachable(ILogger logger, string provider, HttpRequestError error);
}
