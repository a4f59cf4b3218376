namespace Tollgate.Gateway.Configuration;

/// <summary>The providers Tollgate knows by name, each switched on by its conventional key variable.</summary>
internal static class KnownProviders
{
    /// <summary>(id, environment prefix, default base URL, whether a key is required).</summary>
    public static readonly (string Id, string EnvPrefix, string? DefaultBaseUrl, bool KeyRequired)[] All =
    [
        ("openai", "OPENAI", "https://api.openai.com/v1", true),
        ("groq", "GROQ", "https://api.groq.com/openai/v1", true),
        ("deepseek", "DEEPSEEK", "https://api.deepseek.com", true),
        ("mistral", "MISTRAL", "https://api.mistral.ai/v1", true),
        ("moonshot", "MOONSHOT", "https://api.moonshot.ai/v1", true),
        ("zhipu", "ZHIPU", "https://open.bigmodel.cn/api/paas/v4", true),
        ("xai", "XAI", "https://api.x.ai/v1", true),
        ("openrouter", "OPENROUTER", "https://openrouter.ai/api/v1", true),
        ("together", "TOGETHER", "https://api.together.xyz/v1", true),
        ("ollama", "OLLAMA", null, false),
    ];
}
