namespace Tollgate.Dialects.Anthropic;

/// <summary>
/// The outcome of translating a request between dialects (OpenAI chat to Anthropic Messages, or back for the
/// <c>/v1/messages</c> endpoint): either the translated body or an error.
/// </summary>
public sealed class AnthropicTranslateResult
{
    private AnthropicTranslateResult(byte[]? body, AnthropicTranslateError? error, IReadOnlyList<string> unsupported, bool stream, bool includeUsage, string? jsonToolName)
    {
        Body = body;
        Error = error;
        UnsupportedParameters = unsupported;
        Stream = stream;
        IncludeUsage = includeUsage;
        JsonToolName = jsonToolName;
    }

    /// <summary>The translated request as UTF-8 JSON, when translation succeeded.</summary>
    public byte[]? Body { get; }

    /// <summary>Why translation failed (a client error), or null on success.</summary>
    public AnthropicTranslateError? Error { get; }

    /// <summary>True when <see cref="Body"/> is set.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>
    /// Parameters the client sent that the target dialect has no equivalent for and that were left out of
    /// <see cref="Body"/> (names as the client spelled them). The gateway drops-and-names or rejects them per policy.
    /// </summary>
    public IReadOnlyList<string> UnsupportedParameters { get; }

    /// <summary>Whether the client asked for a stream.</summary>
    public bool Stream { get; }

    /// <summary>Whether the client asked for <c>stream_options.include_usage</c>.</summary>
    public bool IncludeUsage { get; }

    /// <summary>
    /// The tool name used to honour <c>response_format</c>, or null when none was added; pass it to the
    /// response or stream translator so the tool's input comes back as message content.
    /// </summary>
    public string? JsonToolName { get; }

    internal static AnthropicTranslateResult Success(byte[] body, IReadOnlyList<string> unsupported, bool stream, bool includeUsage, string? jsonToolName) =>
        new(body, null, unsupported, stream, includeUsage, jsonToolName);

    internal static AnthropicTranslateResult Failure(string param, string message) =>
        new(null, new AnthropicTranslateError(param, message), [], false, false, null);
}
