using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Tollgate.Core.Usage;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Accounting;
using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Routing;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Proxy;

/// <summary>
/// The same-dialect path: an OpenAI-shaped request to an OpenAI-compatible upstream. The body is read once
/// with a token reader, forwarded with only the model (and, for streams, <c>stream_options</c>) rewritten;
/// responses are copied as they arrive with <c>usage.cost</c> added where usage appears.
/// </summary>
internal sealed partial class PassthroughProxy(
    GatewayOptions options,
    Authenticator authenticator,
    ModelResolver resolver,
    AdmissionControl admission,
    TranslatingRelay translatingRelay,
    ILedger ledger,
    TimeProvider time,
    ILogger<PassthroughProxy> logger)
{
    private const int MaxResponseBytes = 64 * 1024 * 1024;
    private const int MaxErrorBytes = 256 * 1024;
    private const int MaxRetainedStreamBytes = 4 * 1024 * 1024;

    public Task ChatAsync(HttpContext context) => HandleAsync(context, OpenAIRequestReader.Kind.Chat);

    public Task EmbeddingsAsync(HttpContext context) => HandleAsync(context, OpenAIRequestReader.Kind.Embeddings);

    private async Task HandleAsync(HttpContext context, OpenAIRequestReader.Kind kind)
    {
        var record = new RequestRecord(
            "req_" + Guid.CreateVersion7().ToString("N"),
            kind == OpenAIRequestReader.Kind.Chat ? "chat" : "embeddings",
            time.GetTimestamp(),
            time.GetUtcNow());
        context.Response.Headers["x-tollgate-request-id"] = record.Id;

        record.Key = authenticator.Authenticate(context, out var authError, allowPublic: true);
        if (record.Key is null)
        {
            // Refused requests are in the ledger too (without a key): failed logins are worth seeing.
            await FailAsync(context, record, authError!).ConfigureAwait(false);
            return;
        }

        using var body = new PooledBufferWriter((int)Math.Clamp(context.Request.ContentLength ?? 0, 4096, 1024 * 1024) + 1);
        var tooLarge = await ReadBodyAsync(context, body).ConfigureAwait(false);
        if (tooLarge)
        {
            await FailAsync(context, record, new ApiError(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the limit of {options.MaxRequestBodyBytes} bytes.", "invalid_request_error", null, "request_too_large")).ConfigureAwait(false);
            return;
        }

        var request = OpenAIRequestReader.Read(body.WrittenSpan, kind);
        record.RequestedModel = request.Model;
        record.Stream = request.Stream;
        record.Tier = request.ServiceTier;
        if (request.Error is not null)
        {
            await FailAsync(context, record, ApiError.BadRequest(request.Error, request.ErrorParam)).ConfigureAwait(false);
            return;
        }

        var route = resolver.Resolve(request.Model!, out var routeError);
        if (route is null)
        {
            await FailAsync(context, record, routeError!).ConfigureAwait(false);
            return;
        }

        record.Route = route;
        context.Response.Headers["x-tollgate-provider"] = route.Upstream.Id;
        var admitted = await admission.AdmitAsync(context, record, body.WrittenMemory[request.PromptRange], request.MaxTokens).ConfigureAwait(false);
        if (admitted.Error is { } refused)
        {
            await FailAsync(context, record, refused).ConfigureAwait(false);
            return;
        }

        if (route.Upstream.Settings.Dialect != UpstreamDialect.OpenAI)
        {
            // Another wire format: translated both ways, settled through the same Finish.
            await RelayTranslatedAsync(context, record, kind, request, body.WrittenMemory, route).ConfigureAwait(false);
            return;
        }

        using var upstreamBody = new PooledBufferWriter(body.Count + 128);
        OpenAIRequestReader.Rewrite(body.WrittenSpan, request, JsonEncodedText.Encode(route.UpstreamModel), upstreamBody);

        using var message = new HttpRequestMessage(HttpMethod.Post, kind == OpenAIRequestReader.Kind.Chat ? route.Upstream.ChatUri : route.Upstream.EmbeddingsUri)
        {
            Content = new ReadOnlyMemoryContent(upstreamBody.WrittenMemory),
        };
        message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (!string.IsNullOrEmpty(route.Upstream.Settings.ApiKey))
        {
            message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", route.Upstream.Settings.ApiKey);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(options.UpstreamTimeout);
        HttpResponseMessage response;
        try
        {
            response = await route.Upstream.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Finish(record, StatusCodes.Status499ClientClosedRequest, "client_closed", null, false);
            return;
        }
        catch (OperationCanceledException)
        {
            await FailAsync(context, record, new ApiError(StatusCodes.Status504GatewayTimeout, $"The provider '{route.Upstream.Id}' did not answer within {options.UpstreamTimeout.TotalSeconds:0.#} s.", "upstream_error", null, "upstream_timeout")).ConfigureAwait(false);
            return;
        }
        catch (HttpRequestException ex)
        {
            LogUpstreamUnreachable(logger, route.Upstream.Id, ex.HttpRequestError);
            await FailAsync(context, record, new ApiError(StatusCodes.Status502BadGateway, $"The provider '{route.Upstream.Id}' could not be reached ({Describe(ex.HttpRequestError)}).", "upstream_error", null, "upstream_unreachable")).ConfigureAwait(false);
            return;
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                await RelayErrorAsync(context, record, route, response, timeout.Token).ConfigureAwait(false);
            }
            else if (request.Stream)
            {
                await RelayStreamAsync(context, record, request, body, response, timeout).ConfigureAwait(false);
            }
            else
            {
                await RelayResponseAsync(context, record, request, body, response, timeout.Token).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> ReadBodyAsync(HttpContext context, PooledBufferWriter body)
    {
        var limit = options.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return true;
        }

        var stream = context.Request.Body;
        while (true)
        {
            var n = await stream.ReadAsync(body.GetMemory(8192), context.RequestAborted).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            body.Advance(n);
            if (body.Count > limit)
            {
                return true;
            }
        }
    }

    private async Task RelayResponseAsync(HttpContext context, RequestRecord record, OpenAIRequest request, PooledBufferWriter requestBody, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var content = new PooledBufferWriter(16 * 1024);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var n = await stream.ReadAsync(content.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                content.Advance(n);
                if (content.Count > MaxResponseBytes)
                {
                    throw new IOException("The provider's response is larger than the gateway accepts.");
                }
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Finish(record, StatusCodes.Status499ClientClosedRequest, "client_closed", null, false);
            return;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            var timedOut = ex is OperationCanceledException;
            await FailAsync(context, record, new ApiError(timedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway, $"The provider '{record.Route!.Upstream.Id}' {(timedOut ? "timed out" : "broke off")} while sending its response.", "upstream_error", null, timedOut ? "upstream_timeout" : "upstream_error")).ConfigureAwait(false);
            return;
        }

        record.TtftMs = ElapsedMs(record);
        var json = content.WrittenSpan;
        var output = context.Response.BodyWriter;
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = "application/json";
        if (UsagePatcher.TryFindUsage(json, out var usageRange) && OpenAIUsage.TryParse(json[usageRange], out var usage))
        {
            var cost = record.Price(usage);
            Finish(record, (int)response.StatusCode, null, usage, false);
            UsagePatcher.WriteWithCost(json, usageRange, cost, output);
        }
        else
        {
            var estimated = TokenEstimator.Estimate(
                TokenEstimator.CountPrompt(requestBody.WrittenSpan[request.PromptRange]),
                TokenEstimator.CountCompletion([content.WrittenMemory]));
            Finish(record, (int)response.StatusCode, null, estimated, true);
            output.Write(json);
        }

        await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private async Task RelayStreamAsync(HttpContext context, RequestRecord record, OpenAIRequest request, PooledBufferWriter requestBody, HttpResponseMessage response, CancellationTokenSource timeout)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";

        var output = context.Response.BodyWriter;
        var state = new StreamState(request.ClientIncludeUsage);
        using var pending = new PooledBufferWriter(16 * 1024);
        using var retained = new PooledBufferWriter(16 * 1024);
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
                var consumed = ForwardCompleteEvents(pending.WrittenSpan, output, retained, record, state);
                pending.Consume(consumed);
                if (state.Wrote)
                {
                    state.Wrote = false;
                    var flush = await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    if (flush.IsCanceled || flush.IsCompleted)
                    {
                        break;
                    }
                }
            }

            if (!state.Done && state.Usage is null)
            {
                // The upstream closed the stream without usage or [DONE].
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

        if (!record.Written)
        {
            if (state.Usage is { } usage)
            {
                Finish(record, status, errorType, usage, false);
            }
            else
            {
                var estimated = TokenEstimator.Estimate(
                    TokenEstimator.CountPrompt(requestBody.WrittenSpan[request.PromptRange]),
                    TokenEstimator.CountCompletion(SplitLines(retained.WrittenMemory)));
                Finish(record, status, errorType, estimated, true);
            }
        }

        if (status != StatusCodes.Status200OK && status != StatusCodes.Status499ClientClosedRequest)
        {
            if (!context.Response.HasStarted)
            {
                // Nothing reached the client yet (headers came, then no event): it can still get a proper error.
                context.Response.Headers.CacheControl = default;
                var timedOut = status == StatusCodes.Status504GatewayTimeout;
                await new ApiError(status, $"The provider '{record.Route!.Upstream.Id}' {(timedOut ? "timed out before sending any event" : "broke off before sending any event")}.", "upstream_error", null, errorType).WriteAsync(context).ConfigureAwait(false);
                return;
            }

            // Pass the break on: a client must not take a cut stream for a complete one.
            context.Abort();
        }
    }

    private int ForwardCompleteEvents(ReadOnlySpan<byte> buffer, System.IO.Pipelines.PipeWriter output, PooledBufferWriter retained, RequestRecord record, StreamState state)
    {
        var consumed = 0;
        int length;
        while ((length = SseEvents.FindEventLength(buffer[consumed..])) > 0)
        {
            var evt = buffer.Slice(consumed, length);
            consumed += length;
            record.TtftMs ??= ElapsedMs(record);
            if (!SseEvents.TryGetData(evt, out var data) || data.IsEmpty)
            {
                output.Write(evt);
                state.Wrote = true;
                continue;
            }

            if (SseEvents.IsDone(data))
            {
                state.Done = true;
                if (!record.Written && state.Usage is not null)
                {
                    Finish(record, StatusCodes.Status200OK, null, state.Usage, false);
                }

                output.Write(evt);
                state.Wrote = true;
                continue;
            }

            if (retained.Count + data.Length < MaxRetainedStreamBytes)
            {
                retained.Write(data);
                retained.Write("\n"u8);
            }

            if (data.IndexOf("\"usage\""u8) >= 0 && UsagePatcher.TryFindUsage(data, out var usageRange) && OpenAIUsage.TryParse(data[usageRange], out var usage))
            {
                state.Usage = usage;
                if (!state.ClientIncludeUsage && data.IndexOf("\"choices\":[]"u8) >= 0)
                {
                    // The client did not ask for the usage chunk; it was requested for accounting only.
                    continue;
                }

                output.Write("data: "u8);
                UsagePatcher.WriteWithCost(data, usageRange, record.Price(usage), output);
                output.Write("\n\n"u8);
                state.Wrote = true;
                continue;
            }

            output.Write(evt);
            state.Wrote = true;
        }

        return consumed;
    }

    private static IEnumerable<ReadOnlyMemory<byte>> SplitLines(ReadOnlyMemory<byte> memory)
    {
        while (!memory.IsEmpty)
        {
            var i = memory.Span.IndexOf((byte)'\n');
            if (i < 0)
            {
                yield return memory;
                yield break;
            }

            yield return memory[..i];
            memory = memory[(i + 1)..];
        }
    }

    private async Task RelayErrorAsync(HttpContext context, RequestRecord record, Route route, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string text;
        try
        {
            using var content = new PooledBufferWriter(4096);
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            int n;
            while (content.Count < MaxErrorBytes && (n = await stream.ReadAsync(content.GetMemory(4096), cancellationToken).ConfigureAwait(false)) > 0)
            {
                content.Advance(n);
            }

            text = route.Upstream.Scrub(Encoding.UTF8.GetString(content.WrittenSpan));
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            text = string.Empty;
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString();
        }

        if (status < 400)
        {
            // A redirect or other non-success that is not an error: redirects are not followed, so report it.
            status = StatusCodes.Status502BadGateway;
        }

        var errorType = "upstream_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (LooksLikeErrorObject(text))
        {
            Finish(record, status, errorType, null, false);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var detail = text.Length > 500 ? text[..500] : text;
        await FailAsync(context, record, new ApiError(status, $"The provider '{route.Upstream.Id}' answered {status}{(detail.Length > 0 ? ": " + detail : ".")}", status >= 500 ? "upstream_error" : "invalid_request_error", null, errorType), errorType).ConfigureAwait(false);
    }

    private static bool LooksLikeErrorObject(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private Task RelayTranslatedAsync(HttpContext context, RequestRecord record, OpenAIRequestReader.Kind kind, OpenAIRequest request, ReadOnlyMemory<byte> body, Route route) =>
        kind == OpenAIRequestReader.Kind.Chat
            ? translatingRelay.ChatAsync(context, record, request, body, route, this)
            : FailAsync(context, record, ApiError.BadRequest($"The provider '{route.Upstream.Id}' ({route.Upstream.Settings.Dialect} API) does not serve this endpoint through Tollgate.", "model", "unsupported_endpoint"));

    /// <summary>Writes <paramref name="error"/> in OpenAI's shape and settles the request.</summary>
    internal Task FailAsync(HttpContext context, RequestRecord record, ApiError error, string? errorType = null)
    {
        Finish(record, error.Status, errorType ?? error.Code ?? error.Type, null, false);
        return error.WriteAsync(context);
    }

    /// <summary>Settles a request: its one ledger entry, whichever path served it.</summary>
    internal void Finish(RequestRecord record, int status, string? errorType, TokenUsage? usage, bool estimated)
    {
        if (!record.Written)
        {
            var entry = record.ToEntry(status, errorType, usage, estimated, ElapsedMs(record));
            ledger.Append(entry);
            admission.Settle(record.Admission, entry.Cost, usage);
        }
    }

    private double ElapsedMs(RequestRecord record) => time.GetElapsedTime(record.StartTimestamp).TotalMilliseconds;

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "name resolution failed",
        HttpRequestError.ConnectionError => "connection failed",
        HttpRequestError.SecureConnectionError => "TLS handshake failed",
        HttpRequestError.ResponseEnded => "the connection closed early",
        _ => "request failed",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider} unreachable: {Error}")]
    private static partial void LogUpstreamUnreachable(ILogger logger, string provider, HttpRequestError error);

    private sealed class StreamState(bool clientIncludeUsage)
    {
        public bool ClientIncludeUsage { get; } = clientIncludeUsage;
        public bool Wrote { get; set; }
        public bool Done { get; set; }
        public TokenUsage? Usage { get; set; }
    }
}
