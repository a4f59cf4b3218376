using System.ClientModel;
using System.Net;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary><c>/v1/chat/completions</c> reaching a Gemini upstream (the emulator speaking <c>generateContent</c>).</summary>
public sealed class ChatToGeminiTests : IAsyncLifetime
{
    private DialectGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await DialectGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Chat_Text_TranslatedWithUsageAndCost()
    {
        var (response, body) = await _gateway.PostJsonAsync("/v1/chat/completions", new
        {
            model = "gemini/gemini-2.5-flash",
            messages = new object[]
            {
                new { role = "system", content = "Be brief." },
                new { role = "user", content = "#emulator prompt_tokens=1000 completion_tokens=500 reasoning_tokens=200\nHello Gemini" },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body["choices"]![0]!;
        Assert.Equal("Echo: Hello Gemini", choice["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        var usage = body["usage"]!;
        Assert.Equal(1000, usage["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(500, usage["completion_tokens"]!.GetValue<long>());
        Assert.Equal(200, usage["completion_tokens_details"]!["reasoning_tokens"]!.GetValue<long>());

        // gemini-2.5-flash: 1000 input * $0.30/M + (300 candidates + 200 thoughts) * $2.50/M = 0.0003 + 0.00125 = 0.00155
        Assert.Equal(0.00155m, usage["cost"]!.GetValue<decimal>());
        var entry = await LedgerReader.EntryAsync(_gateway, LedgerReader.RequestId(response));
        Assert.Equal(0.00155m, entry["cost"]!.GetValue<decimal>());
        Assert.Equal(200, entry["usage"]!["reasoning_tokens"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(100_000, "0.135")] // 100,000 * $1.25/M + 1,000 * $10/M = 0.125 + 0.01
    [InlineData(250_000, "0.64")] // past 200K: 250,000 * $2.50/M + 1,000 * $15/M = 0.625 + 0.015
    public async Task Chat_PromptSize_PicksTheGeminiTier(int promptTokens, string expected)
    {
        var (_, body) = await _gateway.PostJsonAsync("/v1/chat/completions", new
        {
            model = "gemini/gemini-2.5-pro",
            messages = new[] { new { role = "user", content = $"#emulator prompt_tokens={promptTokens} completion_tokens=1000\nLong" } },
        });

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), body["usage"]!["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Chat_StreamThroughOpenAISdk_TextUsageAndFinish()
    {
        var client = OpenAIClientFor("gemini/gemini-2.5-flash");
        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        var options = new ChatCompletionOptions();
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("#emulator prompt_tokens=40 completion_tokens=4\nalpha beta gamma")], options))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("Echo: alpha beta gamma", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(40, usage.InputTokenCount);
        Assert.Equal(4, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Chat_ToolsOverTwoTurns_IdsArgumentsAndSignaturesKept()
    {
        var client = OpenAIClientFor("gemini/gemini-2.5-flash");
        var tool = ChatTool.CreateFunctionTool(
            "lookup", "Look a word up", BinaryData.FromString("""{"type":"object","properties":{"word":{"type":"string"}},"required":["word"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool } };
        List<ChatMessage> messages = [new UserChatMessage("#emulator tool=lookup\nWhat is a gate?")];

        var first = (await client.CompleteChatAsync(messages, options)).Value;
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("lookup", call.FunctionName);
        Assert.Equal("""{"word":"test"}""", call.FunctionArguments.ToString());
        Assert.StartsWith("call_", call.Id);

        messages.Add(new AssistantChatMessage(first.ToolCalls));
        messages.Add(new ToolChatMessage(call.Id, """{"meaning":"a barrier"}"""));
        var second = (await client.CompleteChatAsync(messages, options)).Value;

        // The tool result went back as a functionResponse: the emulator answers it with text, not another call.
        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.Empty(second.ToolCalls);
    }

    [Fact]
    public async Task Chat_StreamedToolCall_OneDeltaWithIdNameAndArguments()
    {
        var (_, events) = await _gateway.PostStreamAsync("/v1/chat/completions", new
        {
            model = "gemini/gemini-2.5-flash",
            stream = true,
            tool_choice = "required",
            tools = new[] { new { type = "function", function = new { name = "lookup", parameters = new { type = "object", properties = new { word = new { type = "string" } }, required = new[] { "word" } } } } },
            messages = new[] { new { role = "user", content = "Look up gate" } },
        });

        Assert.Equal("[DONE]", events[^1].Data);
        var calls = events.Take(events.Count - 1)
            .SelectMany(e => JsonNode.Parse(e.Data)!["choices"]!.AsArray())
            .Select(c => c!["delta"]?["tool_calls"])
            .Where(t => t is JsonArray)
            .SelectMany(t => t!.AsArray())
            .ToList();
        var call = Assert.Single(calls)!;
        Assert.Equal("lookup", call["function"]!["name"]!.GetValue<string>());
        Assert.Equal("""{"word":"test"}""", call["function"]!["arguments"]!.GetValue<string>());
        Assert.NotNull(call["id"]);
    }

    [Fact]
    public async Task Chat_Gemini429_OpenAIErrorWithRetryAfterFromRetryInfo()
    {
        var (response, body) = await _gateway.PostJsonAsync("/v1/chat/completions", new
        {
            model = "gemini/gemini-2.5-flash",
            messages = new[] { new { role = "user", content = "#emulator replay=google/google-429-retry-info\nHi" } },
        });

        var recording = JsonNode.Parse(File.ReadAllText(Path.Combine(DialectGateway.RecordingsDirectory, "google", "google-429-retry-info.json")))!;
        var delay = recording["error"]!["details"]!.AsArray().Select(d => d!["retryDelay"]?.GetValue<string>()).First(d => d is not null)!;
        var expectedSeconds = (int)Math.Ceiling(double.Parse(delay.TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(expectedSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("Retry-After").Single());
        Assert.Equal(recording["error"]!["message"]!.GetValue<string>(), body["error"]!["message"]!.GetValue<string>());
        Assert.DoesNotContain(DialectGateway.GeminiKey, body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_StreamCut_ClientSeesBrokenStreamAndLedgerEstimates()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = DialectGateway.JsonContent(new
            {
                model = "gemini/gemini-2.5-flash",
                stream = true,
                messages = new[] { new { role = "user", content = "#emulator fault=cut chunks=6\none two three four five six seven" } },
            }),
        };
        using var response = await _gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var id = LedgerReader.RequestId(response);
        var text = "";
        try
        {
            text = await response.Content.ReadAsStringAsync();
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The gateway aborts the connection: the client must not take the cut stream for a whole one.
        }

        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);

        var entry = await LedgerReader.EntryAsync(_gateway, id);
        Assert.Equal(502, entry["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Chat_UnsupportedParameterUnderRejectPolicy_400NamingIt()
    {
        await using var strict = await DialectGateway.StartAsync(UnsupportedParameterPolicy.Reject);
        var (response, body) = await strict.PostJsonAsync("/v1/chat/completions", new
        {
            model = "gemini/gemini-2.5-flash",
            logit_bias = new Dictionary<string, int> { ["50256"] = -100 },
            messages = new[] { new { role = "user", content = "Hi" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("logit_bias", body["error"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_UnsupportedParameter_DroppedAndNamedInHeader()
    {
        var (response, _) = await _gateway.PostJsonAsync("/v1/chat/completions", new
        {
            model = "gemini/gemini-2.5-flash",
            logit_bias = new Dictionary<string, int> { ["50256"] = -100 },
            messages = new[] { new { role = "user", content = "Hi" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("logit_bias", response.Headers.GetValues("x-tollgate-dropped-params").Single());
    }

    private ChatClient OpenAIClientFor(string model) =>
        new(model, new ApiKeyCredential(DialectGateway.MasterKey), new OpenAIClientOptions { Endpoint = new Uri(_gateway.Address, "/v1") });
}
