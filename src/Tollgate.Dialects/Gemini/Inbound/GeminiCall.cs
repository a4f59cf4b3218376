namespace Tollgate.Dialects.Gemini.Inbound;

/// <summary>The method of Gemini's native API a client called (the part of the path after <c>{model}:</c>).</summary>
public enum GeminiCall
{
    /// <summary><c>:generateContent</c>, or <c>:streamGenerateContent</c> when streamed.</summary>
    GenerateContent,

    /// <summary><c>:countTokens</c>.</summary>
    CountTokens,

    /// <summary><c>:embedContent</c>.</summary>
    EmbedContent,

    /// <summary><c>:batchEmbedContents</c>.</summary>
    BatchEmbedContents,
}
