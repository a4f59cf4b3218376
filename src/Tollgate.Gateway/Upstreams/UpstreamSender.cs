using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Relay;

namespace Tollgate.Gateway.Upstreams;

/// <summary>
/// The one seam to an upstream: sends an exchange's request to its deployment and returns a value, never throwing
/// for what a network or a provider can do: a failure of a known kind (connect, timeout, error status with its
/// scrubbed body and <c>Retry-After</c>, bad response) or a response. A whole body is read here for non-streaming
/// requests, and a stream is read up to its first event, so that every failure before the first byte reaches the
/// client is a value that routing can act on. Nothing here touches <c>HttpContext</c>.
/// </summary>
internal sealed partial class UpstreamSender(ILogger<UpstreamSender> logger, TimeProvider time)
{
    private const int MaxResponseBytes = 64 * 1024 * 1024;
    private const int MaxErrorBytes = 256 * 1024;

    /// <summary>Sends <paramref name="exchange"/>'s request.</summary>
    /// <param name="exchange">The attempt: deployment and request.</param>
    /// <param name="firstByteTimeout">Time allowed for the response headers and, for streams, the first event.</param>
    /// <param name="bodyTimeout">Time allowed for a whole non-streaming body after the headers.</param>
    /// <param name="clientAborted">Signalled when the client goes away.</param>
    public async ValueTask<UpstreamResult> SendAsync(Exchange exchange, TimeSpan firstByteTimeout, TimeSpan bodyTimeout, CancellationToken clientAborted)
    {
        var upstream = exchange.Route.Upstream;
        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        timeout.CancelAfter(firstByteTimeout);
        HttpResponseMessage response;
        using (var message = exchange.CreateRequest())
        {
            try
            {
                response = await upstream.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (clientAborted.IsCancellationRequested)
            {
                return UpstreamResult.ClientClosed;
            }
            catch (OperationCanceledException)
            {
                return UpstreamResult.Fail(UpstreamFailure.Timeout, 504, $"The provider '{upstream.Id}' did not answer within {Seconds(firstByteTimeout)} s.");
            }
            catch (HttpRequestException ex)
            {
                LogUnreachable(logger, upstream.Id, ex.HttpRequestError);
                return UpstreamResult.Fail(UpstreamFailure.Connect, 502, $"The provider '{upstream.Id}' could not be reached ({Describe(ex.HttpRequestError)}).");
            }
        }

        var headersMs = time.GetElapsedTime(started).TotalMilliseconds;
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            return await ReadErrorAsync(upstream, response, status, headersMs, timeout.Token).ConfigureAwait(false);
        }

        return exchange.Stream
            ? await ReadFirstEventAsync(upstream, response, status, headersMs, timeout, clientAborted).ConfigureAwait(false)
            : await ReadBodyAsync(upstream, response, status, headersMs, bodyTimeout, timeout, clientAborted).ConfigureAwait(false);
    }

    /// <summary>How long the provider asked to wait, from <c>Retry-After</c> (seconds or a date).</summary>
    public TimeSpan? RetryAfter(HttpResponseHeaders headers)
    {
        if (headers.RetryAfter is not { } retry)
        {
            return null;
        }

        if (retry.Delta is { } delta)
        {
            return delta;
        }

        return retry.Date is { } date ? TimeSpan.FromTicks(Math.Max(0, (date - time.GetUtcNow()).Ticks)) : null;
    }

    private async Task<UpstreamResult> ReadErrorAsync(Upstream upstream, HttpResponseMessage response, int status, double headersMs, CancellationToken cancellationToken)
    {
        var body = new PooledBufferWriter(4096);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            int n;
            while (body.Count < MaxErrorBytes && (n = await stream.ReadAsync(body.GetMemory(4096), cancellationToken).ConfigureAwait(false)) > 0)
            {
                body.Advance(n);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            body.Clear();
        }

        var scrubbed = new PooledBufferWriter(body.Count + 16);
        scrubbed.Write(upstream.Scrub(body.WrittenSpan));
        body.Dispose();
        var result = UpstreamResult.Fail(UpstreamFailure.Status, status < 400 ? 502 : status, $"The provider '{upstream.Id}' answered {status}.");
        return With(result, response, headersMs, scrubbed, null);
    }

    private async Task<UpstreamResult> ReadBodyAsync(Upstream upstream, HttpResponseMessage response, int status, double headersMs, TimeSpan bodyTimeout, CancellationTokenSource headersTimeout, CancellationToken clientAborted)
    {
        // The headers' source, linked to the client already, timed anew for the body: one source and one timer per
        // request. Only when its first-byte time ran out just as the headers came does the body get a source of its own.
        using var own = headersTimeout.IsCancellationRequested ? CancellationTokenSource.CreateLinkedTokenSource(clientAborted) : null;
        var timeout = own ?? headersTimeout;
        timeout.CancelAfter(bodyTimeout);
        var body = new PooledBufferWriter(16 * 1024);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            int n;
            while ((n = await stream.ReadAsync(body.GetMemory(16 * 1024), timeout.Token).ConfigureAwait(false)) > 0)
            {
                body.Advance(n);
                if (body.Count > MaxResponseBytes)
                {
                    body.Dispose();
                    response.Dispose();
                    return UpstreamResult.Fail(UpstreamFailure.BadResponse, 502, $"The provider '{upstream.Id}' sent a response larger than the gateway accepts.");
                }
            }
        }
        catch (OperationCanceledException) when (clientAborted.IsCancellationRequested)
        {
            body.Dispose();
            response.Dispose();
            return UpstreamResult.ClientClosed;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            body.Dispose();
            response.Dispose();
            var timedOut = ex is OperationCanceledException;
            return UpstreamResult.Fail(timedOut ? UpstreamFailure.Timeout : UpstreamFailure.BadResponse, timedOut ? 504 : 502, $"The provider '{upstream.Id}' {(timedOut ? "timed out" : "broke off")} while sending its response.");
        }

        if (body.Count == 0)
        {
            body.Dispose();
            response.Dispose();
            return UpstreamResult.Fail(UpstreamFailure.BadResponse, 502, $"The provider '{upstream.Id}' answered {status} with an empty body.");
        }

        return With(UpstreamResult.Ok(status), response, headersMs, body, null);
    }

    private async Task<UpstreamResult> ReadFirstEventAsync(Upstream upstream, HttpResponseMessage response, int status, double headersMs, CancellationTokenSource timeout, CancellationToken clientAborted)
    {
        var pending = new PooledBufferWriter(16 * 1024);
        Stream? stream = null;
        try
        {
            stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            while (SseEvents.FindEventLength(pending.WrittenSpan) <= 0)
            {
                var n = await stream.ReadAsync(pending.GetMemory(8192), timeout.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    stream.Dispose();
                    pending.Dispose();
                    response.Dispose();
                    return UpstreamResult.Fail(UpstreamFailure.BadResponse, 502, $"The provider '{upstream.Id}' broke off before sending any event.");
                }

                pending.Advance(n);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            stream?.Dispose();
            pending.Dispose();
            response.Dispose();
            if (clientAborted.IsCancellationRequested)
            {
                return UpstreamResult.ClientClosed;
            }

            var timedOut = ex is OperationCanceledException;
            return UpstreamResult.Fail(timedOut ? UpstreamFailure.Timeout : UpstreamFailure.BadResponse, timedOut ? 504 : 502, $"The provider '{upstream.Id}' {(timedOut ? "timed out before sending any event" : "broke off before sending any event")}.");
        }

        return With(UpstreamResult.Ok(status), response, headersMs, null, new UpstreamEvents(stream, pending));
    }

    private UpstreamResult With(UpstreamResult result, HttpResponseMessage response, double headersMs, PooledBufferWriter? body, UpstreamEvents? events) =>
        result with { Response = response, Headers = response.Headers, RetryAfter = RetryAfter(response.Headers), HeadersMs = headersMs, Body = body, Events = events };

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "name resolution failed",
        HttpRequestError.ConnectionError => "connection failed",
        HttpRequestError.SecureConnectionError => "TLS handshake failed",
        HttpRequestError.ResponseEnded => "the connection closed early",
        _ => "request failed",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider} unreachable: {Error}")]
    private static partial void LogUnreachable(ILogger logger, string provider, HttpRequestError error);
}
