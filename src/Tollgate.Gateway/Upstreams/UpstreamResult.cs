using System.Net.Http.Headers;
using Tollgate.Gateway.Relay;

namespace Tollgate.Gateway.Upstreams;

/// <summary>
/// What one send to an upstream gave back: a failure of a known kind, or a response (its headers and either the whole
/// body or an event stream that has already yielded its first bytes). Disposing returns the buffers and the connection.
/// </summary>
/// <param name="Failure">What went wrong, or <see cref="UpstreamFailure.None"/>.</param>
/// <param name="Status">The upstream's status, or the gateway's for a failure without one (502 connect, 504 timeout).</param>
/// <param name="Message">For failures: what went wrong, fit for a client (no credential, no upstream body).</param>
internal sealed record UpstreamResult(UpstreamFailure Failure, int Status, string Message) : IDisposable
{
    /// <summary>How long the provider asked to wait (<c>Retry-After</c>), when it did.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The provider's response headers (rate-limit headers, <c>Retry-After</c>); null when none came.</summary>
    public HttpResponseHeaders? Headers { get; init; }

    /// <summary>A whole body: the answer of a non-streaming request, or an error status's body (bounded, scrubbed).</summary>
    public PooledBufferWriter? Body { get; init; }

    /// <summary>A stream's events, when the request streams and the upstream answered with success.</summary>
    public UpstreamEvents? Events { get; init; }

    /// <summary>The response itself, held so the connection is released on disposal.</summary>
    public HttpResponseMessage? Response { get; init; }

    /// <summary>Milliseconds from the send to the response headers.</summary>
    public double HeadersMs { get; init; }

    public bool Succeeded => Failure == UpstreamFailure.None;

    public static UpstreamResult Fail(UpstreamFailure failure, int status, string message) => new(failure, status, message);

    public static UpstreamResult Ok(int status) => new(UpstreamFailure.None, status, string.Empty);

    /// <summary>A failure that is none of the upstream's doing: the client went away.</summary>
    public static UpstreamResult ClientClosed { get; } = new(UpstreamFailure.ClientClosed, 499, "The client closed the request.");

    public void Dispose()
    {
        Body?.Dispose();
        Events?.Dispose();
        Response?.Dispose();
    }
}
