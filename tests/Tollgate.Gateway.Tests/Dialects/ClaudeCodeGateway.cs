using System.Text.Json.Nodes;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary>
/// A gateway configured as a Claude Code user would configure it: a tollgate.json whose <c>models</c> section maps
/// Claude Code's own model names (newer than any catalog) to deployments, with their prices, on a real emulator
/// speaking the Anthropic, OpenAI and Gemini APIs; and requests in Claude Code's shape.
/// </summary>
internal static class ClaudeCodeGateway
{
    /// <summary>
    /// USD per 1M tokens (input, output) of each mapped name: claude-opus-5-5 on the anthropic provider (passthrough),
    /// claude-sonnet-5-5 on an OpenAI-dialect provider and a dated haiku name on gemini (both translated). The
    /// deployments' models are ones the catalog lacks, so the group's prices are theirs (a catalog entry would win).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (decimal Input, decimal Output)> Prices = new Dictionary<string, (decimal, decimal)>
    {
        ["claude-opus-5-5"] = (5m, 25m),
        ["claude-sonnet-5-5"] = (3m, 15m),
        ["claude-haiku-5-5-20261001"] = (1m, 5m),
    };

    public static Task<DialectGateway> StartAsync() => DialectGateway.StartWithConfigAsync(static upstream => $$"""
        {
          "providers": {
            "anthropic": { "base_url": "{{upstream}}", "api_key": "sk-ant-test-secret-cc", "dialect": "anthropic" },
            "openai": { "base_url": "{{upstream}}/v1", "api_key": "sk-openai-test-secret-cc" },
            "gemini": { "base_url": "{{upstream}}", "api_key": "gemini-test-secret-cc", "dialect": "gemini" }
          },
          "models": {
            "claude-opus-5-5": {
              "deployments": [{ "provider": "anthropic", "model": "claude-opus-5-5" }],
              "prices": { "input": 5, "output": 25 }, "max_output": 128000
            },
            "claude-sonnet-5-5": {
              "deployments": [{ "provider": "openai", "model": "local-coder-1" }],
              "prices": { "input": 3, "output": 15 }
            },
            "claude-haiku-5-5-20261001": {
              "deployments": [{ "provider": "gemini", "model": "gemini-cc-preview" }],
              "prices": { "input": 1, "output": 5 },
              "aliases": ["claude-haiku-5-5"]
            }
          }
        }
        """);

    /// <summary>POSTs as Claude Code does: the key in <c>x-api-key</c> (the master key by default), <c>anthropic-version</c>, <c>anthropic-beta</c>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(this DialectGateway gateway, string path, string json, string key = DialectGateway.MasterKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = DialectGateway.JsonContent(json) };
        // Only x-api-key, as Claude Code sends it: not the test client's default Bearer master key.
        request.Headers.Authorization = null;
        request.Headers.TryAddWithoutValidation("x-api-key", key);
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        request.Headers.TryAddWithoutValidation("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27");
        using var client = new HttpClient { BaseAddress = gateway.Address };
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public static async Task<string> CreateKeyAsync(this DialectGateway gateway, object body)
    {
        using var response = await gateway.Client.PostAsync("/v1/keys", DialectGateway.JsonContent(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!["data"]!["key"]!.GetValue<string>();
    }

    /// <summary>
    /// A request body in the shape Claude Code 2.1 sends: system blocks (one cached), tools, adaptive thinking,
    /// context management, output_config, a user turn and its environment block as a trailing system message.
    /// </summary>
    public static string ClaudeCodeBody(string model, string userText, bool stream, bool countTokens = false)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["system"] = new JsonArray(
                new JsonObject { ["type"] = "text", ["text"] = "x-anthropic-billing-header: cc_version=2.1.328;" },
                new JsonObject { ["type"] = "text", ["text"] = "You are a Claude agent.", ["cache_control"] = new JsonObject { ["type"] = "ephemeral" } }),
            ["tools"] = new JsonArray(
                new JsonObject
                {
                    ["name"] = "Bash",
                    ["description"] = "Runs a shell command.",
                    ["input_schema"] = JsonNode.Parse("""{"type":"object","properties":{"command":{"type":"string"},"timeout":{"type":"number"}},"required":["command"]}"""),
                },
                new JsonObject
                {
                    ["name"] = "Write",
                    ["description"] = "Writes a file.",
                    ["input_schema"] = JsonNode.Parse("""{"type":"object","properties":{"file_path":{"type":"string"},"content":{"type":"string"}},"required":["file_path","content"]}"""),
                }),
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = userText }) },
                new JsonObject { ["role"] = "system", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "# Environment\nPlatform: linux\nShell: bash" }) }),
            ["thinking"] = new JsonObject { ["type"] = "adaptive" },
            ["context_management"] = JsonNode.Parse("""{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]}"""),
        };
        if (!countTokens)
        {
            body["max_tokens"] = 32000;
            body["metadata"] = new JsonObject { ["user_id"] = "{\"device_id\":\"d\",\"session_id\":\"s\"}" };
            body["output_config"] = new JsonObject { ["effort"] = "medium" };
            body["stream"] = stream;
        }

        return body.ToJsonString();
    }

}
