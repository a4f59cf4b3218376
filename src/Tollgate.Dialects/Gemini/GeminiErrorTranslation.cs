namespace Tollgate.Dialects.Gemini;

/// <summary>A Gemini error turned into what the OpenAI-facing endpoint answers.</summary>
/// <param name="StatusCode">The HTTP status to answer with.</param>
/// <param name="Body">The OpenAI error JSON: <c>{"error":{"message","type","param","code"}}</c>.</param>
/// <param name="RetryAfterSeconds">Seconds for a <c>Retry-After</c> header, from Gemini's <c>RetryInfo</c>.</param>
public sealed record GeminiErrorTranslation(int StatusCode, byte[] Body, int? RetryAfterSeconds);
