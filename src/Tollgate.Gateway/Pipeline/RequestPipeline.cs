using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Inbound;
using Tollgate.Gateway.Relay;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Settlement;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Pipeline;

/// <summary>
/// The path of every request, one stage each, in one direction: inbound dialect (read the client's request) →
/// authenticate → admit → route → send (the upstream seam) → relay → settle. Every endpoint that reaches a model is
/// this pipeline with its own <see cref="InboundDialect"/>. Failures before the first byte reaches the client go back
/// to routing for the next attempt; the request is settled exactly once, in a <c>finally</c>, however it ended.
/// </summary>
internal sealed partial class RequestPipeline(
    GatewayOptions options,
    Authenticator authenticator,
    ModelResolver resolver,
    AdmissionControl admission,
    UpstreamSender sender,
    Settler settler,
    TimeProvider time,
    ILogger<RequestPipeline> logger)
{
    /// <summary>Names the parameters a translated request left out.</summary>
    public const string DroppedParamsHeader = "x-tollgate-dropped-params";

    public async Task HandleAsync(HttpContext context, InboundDialect inbound)
    {
        var record = new RequestRecord("req_" + Guid.CreateVersion7().ToString("N"), inbound.Endpoint, time.GetTimestamp(), time.GetUtcNow());
        context.Response.Headers["x-tollgate-request-id"] = record.Id;
        using var body = new PooledBufferWriter((int)Math.Clamp(context.Request.ContentLength ?? 0, 4096, 1024 * 1024) + 1);
        try
        {
            await RunAsync(context, inbound, record, body).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            settler.Settle(record, StatusCodes.Status499ClientClosedRequest, "client_closed");
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            LogUnhandled(logger, ex, context.Request.Path);
            settler.Settle(record, StatusCodes.Status500InternalServerError, "gateway_error");
            await inbound.WriteErrorAsync(context, new ApiError(StatusCodes.Status500InternalServerError, "Internal gateway error.", "server_error", null, "gateway_error")).ConfigureAwait(false);
        }
        finally
        {
            // Exactly one entry however the request ended, a bug after the response started included.
            settler.Settle(record, context.Response.HasStarted ? context.Response.StatusCode : StatusCodes.Status500InternalServerError, "gateway_error");
        }
    }

    private async Task RunAsync(HttpContext context, InboundDialect inbound, RequestRecord record, PooledBufferWriter body)
    {
        // Authenticate.
        record.Key = authenticator.Authenticate(context, out var authError, inbound.AllowPublic);
        if (record.Key is null)
        {
            // Refused requests are in the ledger too (without a key): failed logins are worth seeing.
            await FailAsync(context, inbound, record, authError!).ConfigureAwait(false);
            return;
        }

        // Inbound dialect: the body, read once.
        if (!await RequestBodyReader.TryReadAsync(context, options.MaxRequestBodyBytes, body).ConfigureAwait(false))
        {
            await FailAsync(context, inbound, record, RequestBodyReader.TooLarge(options.MaxRequestBodyBytes)).ConfigureAwait(false);
            return;
        }

        var request = inbound.Read(body.WrittenMemory, context.Request, out var readError);
        record.RequestedModel = request?.Fields.Model;
        record.Stream = request?.Stream ?? false;
        record.Tier = request?.Fields.ServiceTier ?? default;
        if (request is null || readError is not null)
        {
            await FailAsync(context, inbound, record, readError ?? ApiError.BadRequest("The request body must be a JSON object.")).ConfigureAwait(false);
            return;
        }

        // Route: the deployment to try first.
        var route = resolver.Resolve(request.Model, out var routeError);
        if (route is null)
        {
            await FailAsync(context, inbound, record, routeError!).ConfigureAwait(false);
            return;
        }

        record.Route = route;
        context.Response.Headers["x-tollgate-provider"] = route.Upstream.Id;
        if (inbound.Validate(request) is { } invalid)
        {
            await FailAsync(context, inbound, record, invalid).ConfigureAwait(false);
            return;
        }

        // Admit.
        var refused = inbound.Free
            ? AdmissionControl.Authorize(record)
            : (await admission.AdmitAsync(context, record, request.Prompt, request.Fields.MaxTokens).ConfigureAwait(false)).Error;
        if (refused is not null)
        {
            await FailAsync(context, inbound, record, refused).ConfigureAwait(false);
            return;
        }

        await AttemptAsync(context, inbound, record, request, route).ConfigureAwait(false);
    }

    /// <summary>Send, then relay: one attempt on <paramref name="route"/>.</summary>
    private async Task AttemptAsync(HttpContext context, InboundDialect inbound, RequestRecord record, InboundRequest request, Route route)
    {
        if (inbound.AnswerLocally(request, route) is { } local)
        {
            settler.Settle(record, StatusCodes.Status200OK, null);
            await WriteJsonAsync(context, StatusCodes.Status200OK, local).ConfigureAwait(false);
            return;
        }

        // The translators do not carry service_tier to other dialects, so such a request runs (and is priced) at standard.
        record.Tier = route.Upstream.Dialect == UpstreamDialect.OpenAI ? request.Fields.ServiceTier : default;
        using var exchange = inbound.CreateExchange(request, route, record.Price, time.GetUtcNow().ToUnixTimeSeconds(), out var createError);
        if (exchange is null)
        {
            await FailAsync(context, inbound, record, createError!).ConfigureAwait(false);
            return;
        }

        if (exchange.DroppedParameters.Count > 0)
        {
            context.Response.Headers[DroppedParamsHeader] = string.Join(", ", exchange.DroppedParameters);
        }

        using var result = await sender.SendAsync(exchange, options.UpstreamTimeout, options.UpstreamTimeout, context.RequestAborted).ConfigureAwait(false);
        switch (result.Failure)
        {
            case UpstreamFailure.ClientClosed:
                settler.Settle(record, StatusCodes.Status499ClientClosedRequest, "client_closed");
                return;
            case UpstreamFailure.Status:
                await RelayErrorAsync(context, record, exchange, result).ConfigureAwait(false);
                return;
            case UpstreamFailure.None:
                break;
            default:
                await FailAsync(context, inbound, record, new ApiError(result.Status, result.Message, "upstream_error", null, ErrorType(result.Failure))).ConfigureAwait(false);
                return;
        }

        if (result.Events is { } events)
        {
            await RelayStreamAsync(context, record, exchange, events).ConfigureAwait(false);
            return;
        }

        record.TtftMs = time.GetElapsedTime(record.StartTimestamp).TotalMilliseconds;
        using var answer = new PooledBufferWriter(result.Body!.Count + 64);
        if (!exchange.TryWriteResponse(result.Body.WrittenSpan, answer))
        {
            await FailAsync(context, inbound, record, new ApiError(StatusCodes.Status502BadGateway, $"The provider '{route.Upstream.Id}' sent a response that could not be read.", "upstream_error", null, "upstream_invalid_response")).ConfigureAwait(false);
            return;
        }

        var usage = inbound.Free ? null : exchange.FinalUsage(any: true);
        settler.Settle(record, result.Status, null, usage?.Usage, usage?.Estimated ?? false);
        await WriteJsonAsync(context, result.Status, answer.WrittenMemory).ConfigureAwait(false);
    }

    private async Task RelayStreamAsync(HttpContext context, RequestRecord record, Exchange exchange, UpstreamEvents events)
    {
        var (status, errorType) = await StreamRelay.RelayAsync(context, exchange, events, record, options.UpstreamTimeout, time).ConfigureAwait(false);
        var usage = exchange.FinalUsage(any: true);
        settler.Settle(record, status, errorType, usage?.Usage, usage?.Estimated ?? false);
        if (status == StatusCodes.Status499ClientClosedRequest)
        {
            return;
        }

        var output = context.Response.BodyWriter;
        exchange.WriteEnd(output, completed: status == StatusCodes.Status200OK);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        if (status != StatusCodes.Status200OK && !exchange.StreamFailed && !exchange.SignalsBreakInBand)
        {
            // Pass the break on: a client must not take a cut stream for a complete one.
            context.Abort();
        }
    }

    /// <summary>An upstream's error status, passed on in the client's shape with its <c>Retry-After</c>.</summary>
    private async Task RelayErrorAsync(HttpContext context, RequestRecord record, Exchange exchange, UpstreamResult result)
    {
        var error = exchange.TranslateError(result.Status, result.Body!.WrittenSpan);
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        else if (result.Headers?.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString();
        }

        settler.Settle(record, error.Status, "upstream_" + result.Status.ToString(CultureInfo.InvariantCulture));
        await WriteJsonAsync(context, error.Status, error.Body).ConfigureAwait(false);
    }

    /// <summary>Writes one of the gateway's errors in the client's shape and settles the request with it.</summary>
    private Task FailAsync(HttpContext context, InboundDialect inbound, RequestRecord record, ApiError error)
    {
        settler.Settle(record, error.Status, error.Code ?? error.Type);
        return inbound.WriteErrorAsync(context, error);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, ReadOnlyMemory<byte> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static string ErrorType(UpstreamFailure failure) => failure switch
    {
        UpstreamFailure.Connect => "upstream_unreachable",
        UpstreamFailure.Timeout => "upstream_timeout",
        _ => "upstream_invalid_response",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception ex, PathString path);
}
