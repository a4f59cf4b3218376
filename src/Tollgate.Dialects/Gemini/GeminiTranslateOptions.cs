namespace Tollgate.Dialects.Gemini;

/// <summary>How an OpenAI chat request is turned into a Gemini generateContent request.</summary>
public sealed record GeminiTranslateOptions
{
    /// <summary>
    /// When true, a parameter Gemini cannot honour fails the translation with a 400 naming it; when false
    /// (the default) it is dropped and listed in <see cref="GeminiRequestTranslation.UnsupportedParameters"/>.
    /// </summary>
    public bool RejectUnsupported { get; init; }

    /// <summary>
    /// When true, tool parameters and response schemas are sent unchanged as <c>parametersJsonSchema</c> /
    /// <c>responseJsonSchema</c> (full JSON Schema, newer models); when false (the default) they are cleaned to
    /// Gemini's OpenAPI subset and sent as <c>parameters</c> / <c>responseSchema</c>.
    /// </summary>
    public bool UseJsonSchema { get; init; }

    /// <summary>Default options.</summary>
    public static GeminiTranslateOptions Default { get; } = new();
}
