namespace Tollgate.Gateway.Configuration;

/// <summary>The providers Tollgate knows by name, each switched on by its conventional key variable.</summary>
internal static class KnownProviders
{
    /// <summary>(id, environment prefix, default base URL, whether a key is required, wire dialect).</summary>
    public static readonly (string Id, string EnvPrefix, string? DefaultBaseUrl, bool KeyRequired, UpstreamDialect Dialect)[] All =
    [
        ("openai", "OPENAI", "https://api.openai.com/v1", true, UpstreamDialect.OpenAI),
        ("groq", "GROQ", "https://api.groq.com/openai/v1", true, UpstreamDialect.OpenAI),
        ("deepseek", "DEEPSEEK", "https://api.deepseek.com", true, UpstreamDialect.OpenAI),
        ("mistral", "MISTRAL", "https://api.mistral.ai/v1", true, UpstreamDialect.OpenAI),
        ("moonshot", "MOONSHOT", "https://api.moonshot.ai/v1", true, UpstreamDialect.OpenAI),
        ("zhipu", "ZHIPU", "https://open.bigmodel.cn/api/paas/v4", true, UpstreamDialect.OpenAI),
        ("xai", "XAI", "https://api.x.ai/v1", true, UpstreamDialect.OpenAI),
        ("openrouter", "OPENROUTER", "https://openrouter.ai/api/v1", true, UpstreamDialect.OpenAI),
        ("together", "TOGETHER", "https://api.together.xyz/v1", true, UpstreamDialect.OpenAI),
        ("anthropic", "ANTHROPIC", "https://api.anthropic.com", true, UpstreamDialect.Anthropic),
        ("gemini", "GEMINI", "https://generativelanguage.googleapis.com", true, UpstreamDialect.Gemini),
        ("ollama", "OLLAMA", null, false, UpstreamDialect.OpenAI),
    ];

    /// <summary>Whether <paramref name="id"/> is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string id) => Array.Exists(All, k => k.Id.Equals(id, StringComparison.OrdinalIgnoreCase));
}
