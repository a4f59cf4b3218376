namespace Tollgate.Dialects.Gemini.Inbound;

/// <summary>A Gemini request translated into OpenAI's shape: the body, or the reason for a 400.</summary>
public sealed record GeminiInboundTranslation(byte[]? Body, IReadOnlyList<string> UnsupportedParameters, string? Error = null, string? ErrorParam = null)
{
    public bool IsSuccess => Body is not null;

    internal static GeminiInboundTranslation Failure(string? param, string message) => new(null, [], message, param);
}
