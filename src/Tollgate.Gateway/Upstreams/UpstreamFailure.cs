namespace Tollgate.Gateway.Upstreams;

/// <summary>How an attempt on an upstream went wrong, as a value (YARP's ForwarderError is the model).</summary>
internal enum UpstreamFailure
{
    /// <summary>No failure: the upstream answered with a success status and a readable start.</summary>
    None,

    /// <summary>The connection could not be made or broke before the response headers.</summary>
    Connect,

    /// <summary>No response headers (or, for streams, no first event) within the allowed time.</summary>
    Timeout,

    /// <summary>An error status; the scrubbed body and any <c>Retry-After</c> come with it.</summary>
    Status,

    /// <summary>A success status with a body that is not an answer (empty, cut, not JSON, too large).</summary>
    BadResponse,

    /// <summary>The client went away; nothing more is to be sent or written.</summary>
    ClientClosed,
}
