namespace Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

/// <summary>
/// The local catalog (<c>catalog.local.json</c>) the test gateways load from their data directory, merged over the
/// built-in one. It pins one model per emulated provider at its seed price (USD per 1M tokens), so the hand-computed
/// costs in the tests hold whatever the built-in catalog grows into, and it lists a model of a provider that is not
/// enabled (together) to prove <c>/v1/models</c> leaves it out.
/// </summary>
internal static class TestCatalog
{
    public const string Json = """
        {
          "models": [
            { "provider": "openai", "model": "gpt-4o-mini", "aliases": ["gpt-4o-mini-2024-07-18"], "mode": "chat", "context_window": 128000, "max_output": 16384,
              "prices": { "input": 0.15, "cached_input": 0.075, "output": 0.6 } },
            { "provider": "openai", "model": "text-embedding-3-small", "mode": "embedding", "context_window": 8191,
              "prices": { "input": 0.02, "output": 0 } },
            { "provider": "groq", "model": "llama-3.3-70b-versatile", "mode": "chat", "context_window": 131072, "max_output": 32768,
              "prices": { "input": 0.59, "output": 0.79 } },
            { "provider": "groq", "model": "openai/gpt-oss-120b", "mode": "chat", "context_window": 131072, "max_output": 65536,
              "prices": { "input": 0.15, "cached_input": 0.075, "output": 0.6 } },
            { "provider": "deepseek", "model": "deepseek-chat", "mode": "chat", "context_window": 128000, "max_output": 8192,
              "prices": { "input": 0.28, "cached_input": 0.028, "output": 0.42 } },
            { "provider": "moonshot", "model": "kimi-k2-0905-preview", "mode": "chat", "context_window": 262144,
              "prices": { "input": 0.6, "cached_input": 0.15, "output": 2.5 } },
            { "provider": "mistral", "model": "mistral-large-2512", "mode": "chat", "context_window": 262144,
              "prices": { "input": 0.5, "output": 1.5 } },
            { "provider": "xai", "model": "grok-4", "mode": "chat", "context_window": 256000,
              "prices": { "input": 3.0, "cached_input": 0.75, "output": 15.0 } },
            { "provider": "zhipu", "model": "glm-4.6", "mode": "chat", "context_window": 200000, "max_output": 128000,
              "prices": { "input": 0.6, "cached_input": 0.11, "output": 2.2 } },
            { "provider": "demo", "model": "demo-chat", "mode": "chat", "context_window": 32768, "max_output": 4096,
              "prices": { "input": 1.0, "output": 2.0 } },
            { "provider": "together", "model": "meta-llama/Llama-3.3-70B-Instruct-Turbo", "mode": "chat", "context_window": 131072,
              "prices": { "input": 0.88, "output": 0.88 } }
          ]
        }
        """;

    /// <summary>Writes the catalog into <paramref name="dataDirectory"/>, where the gateway looks for it.</summary>
    public static void WriteTo(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        File.WriteAllText(Path.Combine(dataDirectory, GatewayHost.LocalCatalogFile), Json);
    }
}
