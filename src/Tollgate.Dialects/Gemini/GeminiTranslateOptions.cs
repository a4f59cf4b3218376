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

    /// <summary>
    /// When true, the first function call of an assistant message that carries no thought signature (by neither
    /// <c>extra_content</c> nor id) gets Google's documented placeholder <see cref="SkipSignatureValidator"/>, so that
    /// Gemini 3 models, which answer a replayed call without a signature with a 400, accept histories from clients
    /// that lost the signature or from other models. Off by default: the model reasons better with the real one.
    /// </summary>
    public bool SkipMissingSignatureValidation { get; init; }

    /// <summary>Google's placeholder signature that turns off signature validation for one function call.</summary>
    public const string SkipSignatureValidator = "skip_thought_signature_validator";

    /// <summary>Default options.</summary>
    public static GeminiTranslateOptions Default { get; } = new();
}
