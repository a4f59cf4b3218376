using Microsoft.AspNetCore.Http;
using Tollgate.Core.Usage;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Upstreams.Outbound;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// The client's side of one endpoint: reads the client's request once, builds an exchange for any deployment, and
/// writes the gateway's own errors in the client's shape. Adding an API means adding one of these, not a proxy.
/// </summary>
internal abstract class InboundDialect
{
    /// <summary>The endpoint's name in the ledger (<c>chat</c>, <c>embeddings</c>, <c>messages</c>, ...).</summary>
    public abstract string Endpoint { get; }

    /// <summary>Whether public mode opens this endpoint to callers without a key.</summary>
    public virtual bool AllowPublic => false;

    /// <summary>True for requests that spend nothing (counting tokens): only scopes and allowed models apply.</summary>
    public virtual bool Free => false;

    /// <summary>True for endpoints that read their own body without holding it whole (multipart uploads): <see cref="ReadHeadAsync"/>, not <see cref="Read"/>.</summary>
    public virtual bool StreamsBody => false;

    /// <summary>For <see cref="StreamsBody"/>: reads as much of the body into <paramref name="head"/> as the request needs, within <paramref name="limit"/>.</summary>
    public virtual ValueTask<InboundRead> ReadHeadAsync(HttpContext context, long limit, Relay.PooledBufferWriter head) =>
        throw new NotSupportedException("This endpoint reads its whole body.");

    /// <summary>Reads the body; a 400 (in the client's shape, through <see cref="WriteErrorAsync"/>) when it is not a valid request.</summary>
    public abstract InboundRequest? Read(ReadOnlyMemory<byte> body, HttpRequest httpRequest, out ApiError? error);

    /// <summary>Checks that need the route to be known first (so the answer names the provider); null when valid.</summary>
    public virtual ApiError? Validate(InboundRequest request) => null;

    /// <summary>The attempt of <paramref name="request"/> on <paramref name="deployment"/>, or the 400 why it cannot be made there.</summary>
    public abstract Exchange? CreateExchange(InboundRequest request, Route deployment, Func<TokenUsage, decimal?> price, long created, out ApiError? error);

    /// <summary>
    /// Whether admission may clamp this endpoint's output limit (docs/KEYS.md): true when <see cref="WithOutputLimit"/>
    /// can write one into the body. Endpoints without one are refused as they are.
    /// </summary>
    public virtual bool ClampsOutput => false;

    /// <summary>
    /// The body with its output limit (per choice) lowered to <paramref name="limit"/>, added when it had none, for
    /// a request admission clamped; the request is read again from it, so every deployment (passthrough or translated)
    /// gets the limit that was reserved.
    /// </summary>
    public virtual byte[] WithOutputLimit(ReadOnlySpan<byte> body, long limit) =>
        throw new NotSupportedException("This endpoint has no output limit to clamp.");

    /// <summary>An answer the gateway gives itself for this deployment, without calling it (a token count estimate); null to call it.</summary>
    public virtual byte[]? AnswerLocally(InboundRequest request, Route deployment) => null;

    /// <summary>
    /// One of the gateway's errors as this API states it, before it is settled and written: the status may differ
    /// from the gateway's own (Anthropic's API refuses a spent budget with 402 <c>billing_error</c>, not a 429).
    /// </summary>
    public virtual ApiError InClientTerms(ApiError error) => error;

    /// <summary>
    /// The 400 for a translated request whose parameters the translation had to leave out, when the deployment's
    /// provider is set to <c>unsupported_params: reject</c>; null when they may be dropped (and named in
    /// <c>x-tollgate-dropped-params</c>). One rule for every translating dialect.
    /// </summary>
    protected static ApiError? RefuseDropped(InboundRequest request, Route deployment) =>
        deployment.Upstream.Settings.UnsupportedParameters == UnsupportedParameterPolicy.Reject && request.Unsupported.Count > 0
            ? ApiError.BadRequest($"The parameter '{request.Unsupported[0]}' is not supported by the provider '{deployment.Upstream.Id}' ({ChatOutbound.DialectName(deployment.Upstream.Dialect)} API).", request.Unsupported[0], "unsupported_parameter")
            : null;

    /// <summary>Writes one of the gateway's errors in the client's shape.</summary>
    public abstract Task WriteErrorAsync(HttpContext context, ApiError error);
}
