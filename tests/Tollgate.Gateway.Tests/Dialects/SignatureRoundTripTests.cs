using System.Net;
using System.Text.Json.Nodes;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary>
/// Thinking signatures across tool turns, through the gateway: the emulator issues Anthropic thinking-block signatures
/// and Gemini thought signatures and, like the real APIs, refuses a next turn that lost or changed them.
/// </summary>
public sealed class SignatureRoundTripTests : IAsyncLifetime
{
    private static readonly object[] Tools =
    [
        new { type = "function", function = new { name = "get_weather", parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } } } },
    ];

    private DialectGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await DialectGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Chat_AnthropicThinkingWithTools_BlocksSentBackAreAccepted()
    {
        var first = await AskAsync("anthropic/claude-sonnet-4-5", reasoning: true);
        var assistant = first["choices"]![0]!["message"]!.AsObject();
        Assert.Equal("Considering the request.", assistant["reasoning_content"]!.GetValue<string>());
        var block = assistant["thinking_blocks"]![0]!;
        Assert.False(string.IsNullOrEmpty(block["signature"]!.GetValue<string>()));

        var (response, second) = await ContinueAsync("anthropic/claude-sonnet-4-5", assistant, reasoning: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("stop", second["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_AnthropicThinkingBlocksDropped_UpstreamRefusesTheTurn()
    {
        var first = await AskAsync("anthropic/claude-sonnet-4-5", reasoning: true);
        var assistant = first["choices"]![0]!["message"]!.AsObject();
        assistant.Remove("thinking_blocks");

        var (response, body) = await ContinueAsync("anthropic/claude-sonnet-4-5", assistant, reasoning: true);

        // The control for the test above: without the blocks, Anthropic (and the emulator) answer 400.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("thinking", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_AnthropicThinkingStreamed_BlocksReassembledFromDeltasAreAccepted()
    {
        var (_, events) = await _gateway.PostStreamAsync("/v1/chat/completions", new
        {
            model = "anthropic/claude-sonnet-4-5",
            stream = true,
            reasoning_effort = "low",
            tools = Tools,
            messages = new[] { new { role = "user", content = "#emulator tool=get_weather\nWeather in Paris?" } },
        });

        var deltas = events.Take(events.Count - 1).SelectMany(e => JsonNode.Parse(e.Data)!["choices"]!.AsArray()).Select(c => c!["delta"]!).ToList();
        var thinkingBlocks = new JsonArray(deltas.Where(d => d["thinking_blocks"] is JsonArray).SelectMany(d => d["thinking_blocks"]!.AsArray()).Select(b => b!.DeepClone()).ToArray());
        var calls = deltas.Where(d => d["tool_calls"] is JsonArray).SelectMany(d => d["tool_calls"]!.AsArray()).ToList();
        var id = calls.Select(c => c!["id"]?.GetValue<string>()).First(i => i is not null)!;
        var name = calls.Select(c => c!["function"]?["name"]?.GetValue<string>()).First(n => n is not null)!;
        var arguments = string.Concat(calls.Select(c => c!["function"]?["arguments"]?.GetValue<string>()));
        var assistant = new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = null,
            ["reasoning_content"] = string.Concat(deltas.Select(d => d["reasoning_content"]?.GetValue<string>())),
            ["thinking_blocks"] = thinkingBlocks,
            ["tool_calls"] = new JsonArray(new JsonObject { ["id"] = id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments } }),
        };

        var (response, second) = await ContinueAsync("anthropic/claude-sonnet-4-5", assistant, reasoning: true);

        Assert.Single(thinkingBlocks);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("stop", second["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)] // sent back exactly as received
    [InlineData(true)] // a client that drops unknown fields (extra_content): the signature rides in the call id
    public async Task Chat_Gemini3ToolCall_SignatureSurvivesTheNextTurn(bool dropExtraContent)
    {
        var first = await AskAsync("gemini/gemini-3-pro-preview", reasoning: false);
        var assistant = first["choices"]![0]!["message"]!.AsObject();
        if (dropExtraContent)
        {
            foreach (var call in assistant["tool_calls"]!.AsArray())
            {
                call!.AsObject().Remove("extra_content");
            }
        }

        var (response, second) = await ContinueAsync("gemini/gemini-3-pro-preview", assistant, reasoning: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("stop", second["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_Gemini3SignatureLost_UpstreamRefusesTheTurn()
    {
        var first = await AskAsync("gemini/gemini-3-pro-preview", reasoning: false);
        var assistant = first["choices"]![0]!["message"]!.AsObject();
        var call = assistant["tool_calls"]![0]!.AsObject();
        call.Remove("extra_content");
        call["id"] = "call_plain";

        var (response, body) = await ContinueAsync("gemini/gemini-3-pro-preview", assistant, reasoning: false, toolCallId: "call_plain");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("thought_signature", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<JsonObject> AskAsync(string model, bool reasoning)
    {
        var (response, body) = await _gateway.PostJsonAsync("/v1/chat/completions", Request(model, reasoning, [new JsonObject { ["role"] = "user", ["content"] = "#emulator tool=get_weather\nWeather in Paris?" }]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tool_calls", body["choices"]![0]!["finish_reason"]!.GetValue<string>());
        return body;
    }

    private Task<(HttpResponseMessage Response, JsonObject Body)> ContinueAsync(string model, JsonObject assistant, bool reasoning, string? toolCallId = null)
    {
        var id = toolCallId ?? assistant["tool_calls"]![0]!["id"]!.GetValue<string>();
        return _gateway.PostJsonAsync("/v1/chat/completions", Request(model, reasoning,
        [
            new JsonObject { ["role"] = "user", ["content"] = "Weather in Paris?" },
            assistant.DeepClone(),
            new JsonObject { ["role"] = "tool", ["tool_call_id"] = id, ["content"] = "Sunny, 21C" },
        ]));
    }

    private static string Request(string model, bool reasoning, JsonNode[] messages)
    {
        var request = new JsonObject
        {
            ["model"] = model,
            ["tools"] = System.Text.Json.JsonSerializer.SerializeToNode(Tools),
            ["messages"] = new JsonArray(messages),
        };
        if (reasoning)
        {
            request["reasoning_effort"] = "low";
        }

        return request.ToJsonString();
    }
}
