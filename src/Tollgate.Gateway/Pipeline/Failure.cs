using System.Globalization;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Inbound;
using Tollgate.Gateway.Resilience;
using Tollgate.Gateway.Settlement;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Pipeline;

/// <summary>
/// A failed attempt: how the router sees it, and what the client is told when no attempt follows. The provider's
/// error is translated into the client's shape at once, so nothing of the upstream response is held meanwhile.
/// </summary>
internal sealed class Failure
{
    private readonly ClientError? _relayed;
    private readonly ApiError? _gateway;
    private readonly string? _retryAfter;
    private readonly string? _errorType;

    public Failure(AttemptFailure attempt, ApiError gateway)
    {
        Attempt = attempt;
        _gateway = gateway;
    }

    private Failure(AttemptFailure attempt, ClientError relayed, string? retryAfter, string errorType)
    {
        Attempt = attempt;
        _relayed = relayed;
        _retryAfter = retryAfter;
        _errorType = errorType;
    }

    private Failure(bool quotaFull)
    {
        Refused = true;
        QuotaFull = quotaFull;
    }

    /// <summary>The deployment's circuit was open: nothing was sent.</summary>
    public static Failure CircuitOpen { get; } = new(false);

    /// <summary>The provider's quota had no room (another request, perhaps on another instance, took it): nothing was sent.</summary>
    public static Failure QuotaRefused { get; } = new(true);

    public bool Refused { get; }

    /// <summary>Refused by the provider's quota rather than by a circuit.</summary>
    public bool QuotaFull { get; }

    public AttemptFailure Attempt { get; }

    public AttemptFailure AsAttemptFailure() => Attempt;

    /// <summary>The failure of an upstream result, translated for the client by <paramref name="exchange"/>.</summary>
    public static Failure From(UpstreamResult result, Exchange exchange)
    {
        if (exchange.RequestError is { } requestError)
        {
            return new Failure(new AttemptFailure(FailureKind.Status, requestError.Status), requestError);
        }

        if (result.Failure == UpstreamFailure.Status)
        {
            var body = result.Body!.WrittenSpan;
            var error = exchange.TranslateError(result.Status, body);
            var retryAfter = error.RetryAfterSeconds?.ToString(CultureInfo.InvariantCulture) ?? result.Headers?.RetryAfter?.ToString();
            var attempt = AttemptFailure.FromStatus(result.Status, body, result.RetryAfter ?? (error.RetryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null));
            return new Failure(attempt, error, retryAfter, "upstream_" + result.Status.ToString(CultureInfo.InvariantCulture));
        }

        var (kind, code) = result.Failure switch
        {
            UpstreamFailure.Connect => (FailureKind.Connect, "upstream_unreachable"),
            UpstreamFailure.Timeout => (FailureKind.Timeout, "upstream_timeout"),
            _ => (FailureKind.BadResponse, "upstream_invalid_response"),
        };
        return new Failure(new AttemptFailure(kind), new ApiError(result.Status, result.Message, "upstream_error", null, code));
    }

    /// <summary>Tells the client, in its own shape, and settles the request with this failure.</summary>
    public async Task WriteAsync(HttpContext context, InboundDialect inbound, RequestRecord record, Settler settler)
    {
        if (_relayed is { } relayed)
        {
            if (_retryAfter is not null)
            {
                context.Response.Headers.RetryAfter = _retryAfter;
            }

            settler.Settle(record, relayed.Status, _errorType);
            await RequestPipeline.WriteJsonAsync(context, relayed.Status, relayed.Body).ConfigureAwait(false);
            return;
        }

        var error = _gateway!;
        settler.Settle(record, error.Status, error.Code ?? error.Type);
        await inbound.WriteErrorAsync(context, error).ConfigureAwait(false);
    }
}
