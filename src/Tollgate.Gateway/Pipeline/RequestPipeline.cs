using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Inbound;
using Tollgate.Gateway.Relay;
using Tollgate.Gateway.Resilience;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Settlement;
using Tollgate.Gateway.Telemetry;
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
    Router router,
    AdmissionControl admission,
    UpstreamSender sender,
    Settler settler,
    TimeProvider time,
    GatewayMetrics metrics,
    ILogger<RequestPipeline> logger)
{
    /// <summary>Names the parameters a translated request left out.</summary>
    public const string DroppedParamsHeader = "x-tollgate-dropped-params";

    public async Task HandleAsync(HttpContext context, InboundDialect inbound)
    {
        var record = new RequestRecord(NewRequestId(), inbound.Endpoint, time.GetTimestamp(), time.GetUtcNow());
        context.Response.Headers["x-tollgate-request-id"] = record.Id;
        using var body = new PooledBufferWriter((int)Math.Clamp(context.Request.ContentLength ?? 0, 4096, 1024 * 1024) + 1);
        metrics.RequestStarted();
        record.Span = GatewayTracing.StartRequest(PipelineTelemetry.Operation(inbound.Endpoint), null);
        try
        {
            await RunAsync(context, inbound, record, body).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            settler.Settle(record, StatusCodes.Status499ClientClosedRequest, "client_closed");
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // The client's side of the body went wrong (it hung up mid-body, or sent a malformed chunk): its fault, not ours.
            var gone = context.RequestAborted.IsCancellationRequested;
            settler.Settle(record, gone ? StatusCodes.Status499ClientClosedRequest : ex.StatusCode, gone ? "client_closed" : "bad_request_body");
            if (!gone)
            {
                await inbound.WriteErrorAsync(context, new ApiError(ex.StatusCode, "The request body could not be read: " + ex.Message, "invalid_request_error", null, "bad_request_body")).ConfigureAwait(false);
            }
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
            record.Span?.Dispose();
            metrics.RequestEnded();
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

        ResponsesState.SetKey(context, record.Key);

        // Inbound dialect: the body, read once (an upload only as far as its model; the rest streams to the upstream).
        InboundRequest? request;
        ApiError? readError;
        if (inbound.StreamsBody)
        {
            (request, readError) = await inbound.ReadHeadAsync(context, options.MaxRequestBodyBytes, body).ConfigureAwait(false);
        }
        else if (!await RequestBodyReader.TryReadAsync(context, options.MaxRequestBodyBytes, body).ConfigureAwait(false))
        {
            await FailAsync(context, inbound, record, RequestBodyReader.TooLarge(options.MaxRequestBodyBytes)).ConfigureAwait(false);
            return;
        }
        else
        {
            request = inbound.Read(body.WrittenMemory, context.Request, out readError);
        }

        record.RequestedModel = request?.Fields.Model;
        record.Stream = request?.Stream ?? false;
        record.Tier = request?.Fields.ServiceTier ?? default;
        record.WorstCase = request?.WorstCase;
        if (request is null || readError is not null)
        {
            await FailAsync(context, inbound, record, readError ?? ApiError.BadRequest("The request body must be a JSON object.")).ConfigureAwait(false);
            return;
        }

        // Route: every deployment the model name may reach, the first of them admitted against.
        var plan = resolver.ResolvePlan(request.Model, request.Fields.FallbackModels, out var routeError);
        if (plan is null)
        {
            await FailAsync(context, inbound, record, routeError!).ConfigureAwait(false);
            return;
        }

        record.Plan = plan;
        record.Route = plan.Primary;
        SetRouteHeaders(context, plan.Primary, 0);
        if (inbound.Validate(request) is { } invalid)
        {
            await FailAsync(context, inbound, record, invalid).ConfigureAwait(false);
            return;
        }

        // Admit: the reservation covers the dearest deployment the plan can reach.
        var refused = inbound.Free
            ? AdmissionControl.Authorize(record)
            : (await admission.AdmitAsync(context, record, request.Prompt, request.Fields.MaxTokens, request.Definitions, request.Choices, inbound.ClampsOutput).ConfigureAwait(false)).Error;
        if (refused is not null)
        {
            metrics.RecordRefusal(record.Key.KeyId, refused);
            await FailAsync(context, inbound, record, refused).ConfigureAwait(false);
            return;
        }

        if (record.Admission is { Clamped: true, OutputLimit: var clamped })
        {
            // The output limit admission reserved is the one every deployment reads: the body is rewritten and read again.
            request = inbound.Read(inbound.WithOutputLimit(request.Body.Span, clamped), context.Request, out var clampError) is { } rewritten && clampError is null
                ? rewritten
                : throw new InvalidOperationException("A clamped request body could not be read again.");
        }

        await RouteAsync(context, inbound, record, request, plan).ConfigureAwait(false);
    }

    /// <summary>
    /// The attempts over the plan: each deployment the router hands out is sent to through its breaker; a failure
    /// before the first byte reaches the client goes back to the router, which says what follows (another deployment,
    /// the same after a wait, the next group, or the end). The last failure is what the client gets.
    /// </summary>
    private async Task RouteAsync(HttpContext context, InboundDialect inbound, RequestRecord record, InboundRequest request, RoutePlan plan)
    {
        var estimatedPrompt = request.Prompt.Length / 2;
        var maxOutput = request.Fields.MaxTokens ?? plan.Primary.Model?.MaxOutput ?? AdmissionControl.DefaultMaxOutputTokens;
        var attempts = router.Start(plan, new RoutingRequest(estimatedPrompt, maxOutput), record.StartTime + options.UpstreamTimeout);
        Failure? last = null;
        RouteAttempt? sent = null;
        while (attempts.TryNext(out var attempt))
        {
            var deployment = attempt.Deployment;
            if (attempt.Number > 1 && !admission.Allows(record, deployment))
            {
                // Not this key's to use (allowed_models, or unpriced on a budget): passed over, not counted.
                attempts.NotRun();
                continue;
            }

            if (attempt.Delay > TimeSpan.Zero)
            {
                await Task.Delay(attempt.Delay, time, context.RequestAborted).ConfigureAwait(false);
            }

            record.Route = deployment;
            var outcome = await AttemptAsync(context, inbound, record, request, deployment, attempts).ConfigureAwait(false);
            if (outcome is not { Refused: true })
            {
                metrics.RecordAttempt(sent, attempt);
                sent = attempt;
            }

            if (outcome is null)
            {
                return;
            }

            last = outcome;
            if (outcome.Refused)
            {
                attempts.NotRun(outcome.QuotaFull);
                continue;
            }

            attempts.Failed(outcome.AsAttemptFailure());
        }

        if (last is null || last.Refused)
        {
            await NoneAvailableAsync(context, inbound, record, plan, attempts.End).ConfigureAwait(false);
            return;
        }

        SetRouteHeaders(context, record.Route!, attempts.Count);
        await last.WriteAsync(context, inbound, record, settler).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends one attempt and, when it succeeds, relays it to the client and settles: null then. Otherwise the failure,
    /// with what the client would be told if no attempt follows.
    /// </summary>
    private async Task<Failure?> AttemptAsync(HttpContext context, InboundDialect inbound, RequestRecord record, InboundRequest request, Route deployment, RouteAttempts attempts)
    {
        if (inbound.AnswerLocally(request, deployment) is { } local)
        {
            SetRouteHeaders(context, deployment, attempts.Count);
            settler.Settle(record, StatusCodes.Status200OK, null);
            await WriteJsonAsync(context, StatusCodes.Status200OK, local).ConfigureAwait(false);
            return null;
        }

        // The translators do not carry service_tier to other dialects, so such a request runs (and is priced) at standard.
        record.Tier = deployment.Upstream.Dialect == UpstreamDialect.OpenAI ? request.Fields.ServiceTier : default;
        var exchange = inbound.CreateExchange(request, deployment, record.Price, time.GetUtcNow().ToUnixTimeSeconds(), out var createError);
        if (exchange is null)
        {
            // The request cannot be expressed for this deployment: the client's to fix, not retried.
            return new Failure(new AttemptFailure(FailureKind.Status, createError!.Status), createError);
        }

        if (exchange.DroppedParameters.Count > 0)
        {
            context.Response.Headers[DroppedParamsHeader] = string.Join(", ", exchange.DroppedParameters);
        }

        using (exchange)
        {
            using var lease = router.Health.Lease(deployment);
            // The check and the count are one step (across instances with Redis): a full quota passes the deployment over.
            if (await router.Quotas.TryReserveAsync(deployment, request.Prompt.Length / 2).ConfigureAwait(false) is not { } quota)
            {
                return Failure.QuotaRefused;
            }

            var started = time.GetTimestamp();
            using var span = GatewayTracing.StartAttempt(PipelineTelemetry.Operation(inbound.Endpoint), deployment.Upstream.Id, deployment.UpstreamModel, attempts.Count);
            UpstreamResult result;
            if (attempts.IsLastResort)
            {
                result = await sender.SendAsync(exchange, FirstByteTimeout, options.UpstreamTimeout, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                var call = await router.Breakers.ExecuteAsync(
                    deployment,
                    ct => sender.SendAsync(exchange, FirstByteTimeout, options.UpstreamTimeout, ct),
                    static r => r.Failure is UpstreamFailure.Connect or UpstreamFailure.Timeout or UpstreamFailure.BadResponse
                        || (r.Failure == UpstreamFailure.Status && (r.Status == 429 || r.Status >= 500)),
                    context.RequestAborted).ConfigureAwait(false);
                if (call.Rejected)
                {
                    router.Quotas.Settle(quota, 0);
                    GatewayTracing.EndAttempt(span, 0, "circuit_open");
                    return Failure.CircuitOpen;
                }

                result = call.Result!;
            }

            var elapsed = time.GetElapsedTime(started);
            if (result.Headers is { } headers)
            {
                router.Quotas.Observe(deployment, headers);
            }

            record.Attempts.Add(new AttemptRecord(deployment.Upstream.Id, deployment.UpstreamModel, result.Status, FailureName(result.Failure), elapsed.TotalMilliseconds));
            GatewayTracing.EndAttempt(span, result.Status, FailureName(result.Failure));
            if (result.Failure == UpstreamFailure.ClientClosed)
            {
                router.Quotas.Settle(quota, 0);
                result.Dispose();
                settler.Settle(record, StatusCodes.Status499ClientClosedRequest, "client_closed");
                return null;
            }

            if (result.Failure != UpstreamFailure.None)
            {
                router.Quotas.Settle(quota, 0);
                if (result.Failure == UpstreamFailure.Timeout)
                {
                    router.Health.RecordTimeToFirstToken(deployment, elapsed);
                }

                return Failure.From(result, exchange);
            }

            router.Health.RecordTimeToFirstToken(deployment, elapsed);
            using (result)
            {
                if (result.Events is { } events)
                {
                    // The first byte goes to the client now: no failover after this.
                    attempts.Succeeded();
                    SetRouteHeaders(context, deployment, attempts.Count);
                    await RelayStreamAsync(context, record, exchange, events).ConfigureAwait(false);
                    router.Quotas.Settle(quota, exchange.Usage?.TotalTokens ?? 0);
                    return null;
                }

                using var answer = new PooledBufferWriter(result.Body!.Count + 64);
                if (!exchange.TryWriteResponse(result.Body.WrittenSpan, answer))
                {
                    router.Quotas.Settle(quota, 0);
                    record.Attempts[^1] = record.Attempts[^1] with { Failure = "bad_response" };
                    return new Failure(new AttemptFailure(FailureKind.BadResponse), new ApiError(StatusCodes.Status502BadGateway, $"The provider '{deployment.Upstream.Id}' sent a response that could not be read.", "upstream_error", null, "upstream_invalid_response"));
                }

                attempts.Succeeded();
                record.TtftMs = time.GetElapsedTime(record.StartTimestamp).TotalMilliseconds;
                var usage = inbound.Free ? null : exchange.FinalUsage(any: true);
                record.Units = exchange.Units;
                router.Quotas.Settle(quota, usage?.Usage.TotalTokens ?? 0);
                settler.Settle(record, result.Status, null, usage?.Usage, usage?.Estimated ?? false);
                SetRouteHeaders(context, deployment, attempts.Count);
                await WriteJsonAsync(context, result.Status, answer.WrittenMemory, exchange.ContentType).ConfigureAwait(false);
                return null;
            }
        }
    }

    /// <summary>Nothing could be tried: every deployment's circuit is open or its provider quota used up.</summary>
    private Task NoneAvailableAsync(HttpContext context, InboundDialect inbound, RequestRecord record, RoutePlan plan, RoutingEnd end)
    {
        if (end.AvailableAt is { } at)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling((at - time.GetUtcNow()).TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var error = end.QuotaExhausted
            ? new ApiError(StatusCodes.Status429TooManyRequests, $"Every deployment of '{plan.Model}' has used up its provider quota; retry later.", "requests", null, "deployments_rate_limited")
            : new ApiError(StatusCodes.Status503ServiceUnavailable, $"No deployment of '{plan.Model}' is available now (their circuits are open after repeated failures, or this key may not use them); retry later.", "upstream_error", null, "no_deployment_available");
        return FailAsync(context, inbound, record, error);
    }

    /// <summary><c>req_</c> and a version-7 GUID in hex, made as one string.</summary>
    internal static string NewRequestId() => string.Create(36, Guid.CreateVersion7(), static (chars, id) =>
    {
        "req_".CopyTo(chars);
        id.TryFormat(chars[4..], out _, "N");
    });

    private TimeSpan FirstByteTimeout => options.Routing.FirstByteTimeout < options.UpstreamTimeout ? options.Routing.FirstByteTimeout : options.UpstreamTimeout;

    private TimeSpan IdleTimeout => options.Routing.IdleTimeout < options.UpstreamTimeout ? options.Routing.IdleTimeout : options.UpstreamTimeout;

    private static void SetRouteHeaders(HttpContext context, Route deployment, int attempts)
    {
        var headers = context.Response.Headers;
        headers["x-tollgate-provider"] = deployment.Upstream.Id;
        // A header carries ASCII only: a model name beyond it goes percent-encoded.
        headers["x-tollgate-model"] = Ascii.IsValid(deployment.UpstreamModel) ? deployment.UpstreamModel : Uri.EscapeDataString(deployment.UpstreamModel);
        if (attempts > 0)
        {
            headers["x-tollgate-attempts"] = attempts.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static string? FailureName(UpstreamFailure failure) => failure switch
    {
        UpstreamFailure.None => null,
        UpstreamFailure.Connect => "connect",
        UpstreamFailure.Timeout => "timeout",
        UpstreamFailure.Status => "status",
        UpstreamFailure.BadResponse => "bad_response",
        _ => "client_closed",
    };

    private async Task RelayStreamAsync(HttpContext context, RequestRecord record, Exchange exchange, UpstreamEvents events)
    {
        var (status, errorType) = await StreamRelay.RelayAsync(context, exchange, events, record, IdleTimeout, time).ConfigureAwait(false);
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

    /// <summary>Writes one of the gateway's errors in the client's shape and settles the request with it.</summary>
    internal Task FailAsync(HttpContext context, InboundDialect inbound, RequestRecord record, ApiError error)
    {
        error = inbound.InClientTerms(error);
        settler.Settle(record, error.Status, error.Code ?? error.Type);
        return inbound.WriteErrorAsync(context, error);
    }

    internal static async Task WriteJsonAsync(HttpContext context, int status, ReadOnlyMemory<byte> body, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception ex, PathString path);
}
