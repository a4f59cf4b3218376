namespace Tollgate.Gateway.Configuration;

/// <summary>The wire formats an upstream provider can speak.</summary>
public static class ProviderDialects
{
    /// <summary>OpenAI's chat completions API (and every OpenAI-compatible provider).</summary>
    public const string OpenAI = "openai";

    /// <summary>Anthropic's Messages API.</summary>
    public const string Anthropic = "anthropic";

    /// <summary>Google's Gemini <c>generateContent</c> API.</summary>
    public const string Gemini = "gemini";

    /// <summary>Whether <paramref name="dialect"/> is OpenAI's (the same-dialect passthrough path).</summary>
    public static bool IsOpenAI(string? dialect) => dialect is null || string.Equals(dialect, OpenAI, StringComparison.OrdinalIgnoreCase);
}
