namespace Tollgate.Gateway.Translation;

/// <summary>An upstream error rewritten in OpenAI's error shape.</summary>
/// <param name="Status">The status for the client.</param>
/// <param name="Body">An OpenAI <c>{"error":{...}}</c> body.</param>
/// <param name="RetryAfterSeconds">When the provider said how long to wait.</param>
internal sealed record UpstreamError(int Status, byte[] Body, int? RetryAfterSeconds);
