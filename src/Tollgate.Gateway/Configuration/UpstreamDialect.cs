namespace Tollgate.Gateway.Configuration;

/// <summary>The wire formats an upstream provider can speak; validated when the configuration loads.</summary>
public enum UpstreamDialect
{
    /// <summary>OpenAI's chat completions API (and every OpenAI-compatible provider).</summary>
    OpenAI,

    /// <summary>Anthropic's Messages API.</summary>
    Anthropic,

    /// <summary>Google's Gemini <c>generateContent</c> API.</summary>
    Gemini,
}
