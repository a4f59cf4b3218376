namespace Tollgate.Gateway.Resilience;

/// <summary>How an attempt at an upstream failed.</summary>
internal enum FailureKind
{
    /// <summary>No connection: refused, reset before a response, DNS, TLS.</summary>
    Connect,

    /// <summary>No response headers (or, for a stream, no first event) within <c>first_byte_timeout_s</c>.</summary>
    Timeout,

    /// <summary>The upstream answered with an error status.</summary>
    Status,

    /// <summary>The upstream answered 2xx with something that is not a valid response.</summary>
    BadResponse,
}
