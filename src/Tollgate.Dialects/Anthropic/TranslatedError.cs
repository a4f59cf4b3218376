namespace Tollgate.Dialects.Anthropic;

/// <summary>An upstream error rewritten in the client dialect's error shape.</summary>
/// <param name="StatusCode">The HTTP status to answer with.</param>
/// <param name="Body">The error JSON in the client's dialect.</param>
public sealed record TranslatedError(int StatusCode, byte[] Body);
