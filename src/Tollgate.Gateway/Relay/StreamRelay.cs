using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Settlement;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Relay;

/// <summary>
/// The one SSE relay loop: every complete upstream event goes through the exchange (copied or translated) to the
/// client as it arrives, flushed per read; a bounded wait between events. It does not end the client's stream: the
/// pipeline settles first, then has the exchange write the end (so the ledger entry exists before <c>[DONE]</c>).
/// A stream whose reported usage passes the output the request was admitted with is cut after that event (the
/// usage the provider reports is the count: it is what is billed, and reading it costs nothing more).
/// </summary>
internal static class StreamRelay
{
    /// <summary>The ledger's error type of a stream cut because the provider reported more output than the request allowed.</summary>
    public const string OverReported = "upstream_over_reported";

    /// <summary>Relays until the upstream ends; returns the request's status and error type for the ledger.</summary>
    public static async Task<(int Status, string? ErrorType)> RelayAsync(HttpContext context, Exchange exchange, UpstreamEvents events, RequestRecord record, TimeSpan idleTimeout, TimeProvider time)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = exchange.StreamContentType;
        context.Response.Headers.CacheControl = "no-cache";

        var output = context.Response.BodyWriter;
        var pending = events.Pending;

        // The output the request was admitted with (its choices times its limit); -1 when nothing was reserved for it.
        var allowed = record.Admission is { } ticket && record.WorstCase is null ? ticket.AllowedOutput(exchange.Route.Model) : -1;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        try
        {
            while (true)
            {
                var consumed = 0;
                var wrote = false;
                int length;
                while ((length = SseEvents.FindEventLength(pending.WrittenSpan[consumed..])) > 0)
                {
                    var evt = pending.WrittenSpan.Slice(consumed, length);
                    consumed += length;
                    record.TtftMs ??= time.GetElapsedTime(record.StartTimestamp).TotalMilliseconds;
                    if (!SseEvents.TryGetData(evt, out var data))
                    {
                        data = default;
                    }

                    wrote |= exchange.WriteEvent(evt, data, output);
                    // Only events that carry usage can change it (some exchanges build their usage on each read).
                    if (allowed >= 0 && data.IndexOf("usage"u8) >= 0 && exchange.Usage is { } usage && usage.OutputTokens > allowed)
                    {
                        // The provider reports more output than was reserved: nothing more is relayed, the stream ends
                        // as a complete one in the client's dialect, and settlement records the excess.
                        await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                        return (StatusCodes.Status200OK, OverReported);
                    }
                }

                pending.Consume(consumed);
                if (wrote)
                {
                    var flush = await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    if (flush.IsCanceled || flush.IsCompleted)
                    {
                        return (StatusCodes.Status499ClientClosedRequest, "client_closed");
                    }
                }

                idle.CancelAfter(idleTimeout);
                var n = await events.Stream.ReadAsync(pending.GetMemory(8192), idle.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                pending.Advance(n);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return (StatusCodes.Status499ClientClosedRequest, "client_closed");
        }
        catch (OperationCanceledException)
        {
            return (StatusCodes.Status504GatewayTimeout, "upstream_idle_timeout");
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return (StatusCodes.Status502BadGateway, "upstream_stream_error");
        }

        // The provider's error event went to the client as it came; the stream is not a whole answer.
        return exchange.StreamFailed ? (StatusCodes.Status502BadGateway, "upstream_stream_error")
            : exchange.Completed ? (StatusCodes.Status200OK, null)
            : (StatusCodes.Status502BadGateway, "upstream_stream_incomplete");
    }
}
