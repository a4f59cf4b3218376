namespace Tollgate.Gateway.Upstreams;

/// <summary>An upstream error rewritten in the client's own error shape.</summary>
/// <param name="Status">The status for the client.</param>
/// <param name="Body">The error body in the client's dialect.</param>
/// <param name="RetryAfterSeconds">When the provider said how long to wait (in its body rather than a header).</param>
internal sealed record ClientError(int Status, byte[] Body, int? RetryAfterSeconds = null);
