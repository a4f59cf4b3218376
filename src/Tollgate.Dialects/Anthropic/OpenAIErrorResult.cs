namespace Tollgate.Dialects.Anthropic;

/// <summary>An upstream error rewritten in OpenAI's error shape.</summary>
/// <param name="StatusCode">The HTTP status to answer with.</param>
/// <param name="Body">The <c>{"error":{...}}</c> JSON.</param>
public sealed record OpenAIErrorResult(int StatusCode, byte[] Body);
