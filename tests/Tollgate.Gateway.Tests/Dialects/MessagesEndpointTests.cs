using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary>
/// <c>POST /v1/messages</c>: the official Anthropic .NET SDK (and raw HTTP where the SDK hides a field) reaching an
/// Anthropic upstream (passthrough), an OpenAI-dialect upstream and a Gemini upstream (translated).
/// </summary>
public sealed class MessagesEndpointTests : IAsyncLifetime
{
    private DialectGateway _gateway = null!;
    private AnthropicClient _sdk = null!;

    public async Task InitializeAsync()
    {
        _gateway = await DialectGateway.StartAsync();
        _sdk = new AnthropicClient(new ClientOptions { ApiKey = DialectGateway.MasterKey, BaseUrl = _gateway.Address.ToString().TrimEnd('/'), MaxRetries = 0 });
    }

    public async Task DisposeAsync()
    {
        _sdk.Dispose();
        await _gateway.DisposeAsync();
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5")]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("gemini/gemini-2.5-flash")]
    public async Task Messages_SdkText_EchoAndUsageFromEveryDialect(string model)
    {
        var message = await _sdk.Messages.Create(new MessageCreateParams
        {
            Model = model,
            MaxTokens = 256,
            System = "Be brief.",
            Messages = [new UserMessageParam("#emulator prompt_tokens=1000 completion_tokens=500\nHello from the SDK")],
        });

        var text = Assert.Single(message.Content);
        Assert.True(text.TryPickText(out var block));
        Assert.Equal("Echo: Hello from the SDK", block!.Text);
        Assert.Equal("end_turn", message.StopReason!.Raw());
        Assert.Equal(1000, message.Usage.InputTokens + (message.Usage.CacheReadInputTokens ?? 0) + (message.Usage.CacheCreationInputTokens ?? 0));
        Assert.Equal(500, message.Usage.OutputTokens);
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5")]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("gemini/gemini-2.5-flash")]
    public async Task Messages_SdkStream_TextReassembledAndUsageAtTheEnd(string model)
    {
        var text = new StringBuilder();
        var types = new List<string>();
        long? outputTokens = null;
        await foreach (var e in _sdk.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = model,
            MaxTokens = 256,
            Messages = [new UserMessageParam("#emulator completion_tokens=7\nstream me some words")],
        }))
        {
            types.Add(e.Json.GetProperty("type").GetString()!);
            if (e.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickText(out var t))
            {
                text.Append(t!.Text);
            }

            if (e.TryPickDelta(out var messageDelta))
            {
                outputTokens = messageDelta!.Usage.OutputTokens;
            }
        }

        Assert.Equal("Echo: stream me some words", text.ToString());
        Assert.Equal("message_start", types[0]);
        Assert.Equal("message_stop", types[^1]);
        Assert.Equal("message_delta", types[^2]);
        Assert.Contains("content_block_start", types);
        Assert.Contains("content_block_stop", types);
        Assert.Equal(7, outputTokens);
    }

    [Theory]
    [InlineData("anthropic/claude-haiku-4-5")]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("gemini/gemini-2.5-flash")]
    public async Task Messages_SdkStreamWithTool_NameAndInputReassembled(string model)
    {
        string? name = null;
        string? id = null;
        var json = new StringBuilder();
        string? stop = null;
        await foreach (var e in _sdk.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = model,
            MaxTokens = 256,
            Tools = [WeatherTool()],
            ToolChoice = new ToolChoiceAny(),
            Messages = [new UserMessageParam("Weather in Paris?")],
        }))
        {
            if (e.TryPickContentBlockStart(out var start) && start!.ContentBlock.TryPickToolUse(out var toolUse))
            {
                name = toolUse!.Name;
                id = toolUse.ID;
            }

            if (e.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickInputJson(out var input))
            {
                json.Append(input!.PartialJson);
            }

            if (e.TryPickDelta(out var messageDelta))
            {
                stop = messageDelta!.Delta.StopReason?.Raw();
            }
        }

        Assert.Equal("get_weather", name);
        Assert.False(string.IsNullOrEmpty(id));
        var arguments = JsonNode.Parse(json.ToString())!;
        Assert.Equal("test", arguments["city"]!.GetValue<string>());
        Assert.Equal(1, arguments["days"]!.GetValue<int>());
        Assert.Equal("tool_use", stop);
    }

    [Fact]
    public async Task Messages_SdkToolResultTurn_TranslatedUpstreamAnswersWithText()
    {
        var first = await _sdk.Messages.Create(new MessageCreateParams
        {
            Model = "openai/gpt-4o-mini",
            MaxTokens = 256,
            Tools = [WeatherTool()],
            Messages = [new UserMessageParam("#emulator tool=get_weather\nWeather in Paris?")],
        });
        Assert.Equal("tool_use", first.StopReason!.Raw());
        var toolUse = first.Content.Select(b => b.TryPickToolUse(out var t) ? t : null).Single(t => t is not null)!;
        Assert.Equal("get_weather", toolUse.Name);

        // Second turn, raw: the assistant's tool_use and the user's tool_result go back as the Messages API has them.
        var (response, body) = await _gateway.PostJsonAsync("/v1/messages", new
        {
            model = "openai/gpt-4o-mini",
            max_tokens = 256,
            tools = new[] { WeatherToolJson() },
            messages = new object[]
            {
                new { role = "user", content = "Weather in Paris?" },
                new { role = "assistant", content = new object[] { new { type = "tool_use", id = toolUse.ID, name = toolUse.Name, input = new { city = "Paris", days = 1 } } } },
                new { role = "user", content = new object[] { new { type = "tool_result", tool_use_id = toolUse.ID, content = "Sunny, 21C" } } },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("end_turn", body["stop_reason"]!.GetValue<string>());
        Assert.Equal("text", body["content"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Messages_PassthroughToAnthropic_UsageCarriesHandComputedCost()
    {
        var (response, body) = await PostMessagesAsync("anthropic/claude-sonnet-4-5", "#emulator prompt_tokens=1000 cached_tokens=400 completion_tokens=100\nHi");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("claude-sonnet-4-5", body["model"]!.GetValue<string>());
        Assert.Equal(600, body["usage"]!["input_tokens"]!.GetValue<long>());
        Assert.Equal(400, body["usage"]!["cache_read_input_tokens"]!.GetValue<long>());

        // 600 * $3/M + 400 * $0.30/M + 100 * $15/M = 0.0018 + 0.00012 + 0.0015 = 0.00342
        Assert.Equal(0.00342m, body["usage"]!["cost"]!.GetValue<decimal>());
        var entry = await LedgerReader.EntryAsync(_gateway, LedgerReader.RequestId(response));
        Assert.Equal("messages", entry["endpoint"]!.GetValue<string>());
        Assert.Equal(0.00342m, entry["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Messages_PassthroughStream_MessageDeltaCarriesCost()
    {
        var (response, events) = await _gateway.PostStreamAsync("/v1/messages", new
        {
            model = "anthropic/claude-sonnet-4-5",
            max_tokens = 256,
            stream = true,
            messages = new[] { new { role = "user", content = "#emulator prompt_tokens=1000 completion_tokens=500\nHi" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delta = JsonNode.Parse(events.Single(e => e.Event == "message_delta").Data)!;

        // 1000 * $3/M + 500 * $15/M = 0.003 + 0.0075 = 0.0105
        Assert.Equal(0.0105m, delta["usage"]!["cost"]!.GetValue<decimal>());
        Assert.Equal(0.0105m, (await LedgerReader.EntryAsync(_gateway, LedgerReader.RequestId(response)))["cost"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData("openai/gpt-4o-mini", "0.00045")] // 1000 * $0.15/M + 500 * $0.60/M = 0.00015 + 0.0003
    [InlineData("gemini/gemini-2.5-flash", "0.00155")] // 1000 * $0.30/M + 500 * $2.50/M = 0.0003 + 0.00125
    public async Task Messages_Translated_UsageCarriesHandComputedCost(string model, string expected)
    {
        var cost = decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        var (response, body) = await PostMessagesAsync(model, "#emulator prompt_tokens=1000 completion_tokens=500\nHi");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("message", body["type"]!.GetValue<string>());
        Assert.Equal(cost, body["usage"]!["cost"]!.GetValue<decimal>());

        var (streamed, events) = await _gateway.PostStreamAsync("/v1/messages", new
        {
            model,
            max_tokens = 256,
            stream = true,
            messages = new[] { new { role = "user", content = "#emulator prompt_tokens=1000 completion_tokens=500\nHi" } },
        });
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        var delta = JsonNode.Parse(events.Single(e => e.Event == "message_delta").Data)!;
        Assert.Equal(cost, delta["usage"]!["cost"]!.GetValue<decimal>());
        Assert.Equal(cost, (await LedgerReader.EntryAsync(_gateway, LedgerReader.RequestId(streamed)))["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Messages_MissingMaxTokensToAnthropic_UpstreamsAnthropicError()
    {
        var (response, body) = await _gateway.PostJsonAsync("/v1/messages", new
        {
            model = "anthropic/claude-sonnet-4-5",
            messages = new[] { new { role = "user", content = "Hi" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Contains("max_tokens", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_UnknownModelAndMissingKey_AnthropicErrorShapes()
    {
        var (notFound, notFoundBody) = await PostMessagesAsync("nosuch/model-x", "Hi");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("not_found_error", notFoundBody["error"]!["type"]!.GetValue<string>());

        using var anonymous = new HttpClient { BaseAddress = _gateway.Address };
        var response = await anonymous.PostAsync("/v1/messages", DialectGateway.JsonContent(new { model = "openai/gpt-4o-mini", max_tokens = 5, messages = new[] { new { role = "user", content = "Hi" } } }));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("authentication_error", body["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Messages_XApiKeyAuth_Accepted()
    {
        using var client = new HttpClient { BaseAddress = _gateway.Address };
        client.DefaultRequestHeaders.Add("x-api-key", DialectGateway.MasterKey);
        var response = await client.PostAsync("/v1/messages", DialectGateway.JsonContent(new { model = "openai/gpt-4o-mini", max_tokens = 5, messages = new[] { new { role = "user", content = "Hi" } } }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("openai/gpt-4o-mini", 429, "rate_limit_error")]
    [InlineData("gemini/gemini-2.5-flash", 429, "rate_limit_error")]
    [InlineData("anthropic/claude-sonnet-4-5", 429, "rate_limit_error")]
    [InlineData("openai/gpt-4o-mini", 503, "overloaded_error")]
    public async Task Messages_UpstreamError_AnthropicShape(string model, int status, string type)
    {
        var (response, body) = await PostMessagesAsync(model, $"#emulator status={status}\nHi");

        Assert.Equal(status == 503 ? 529 : status, (int)response.StatusCode);
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal(type, body["error"]!["type"]!.GetValue<string>());
        var text = body.ToJsonString();
        Assert.DoesNotContain(DialectGateway.AnthropicKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(DialectGateway.GeminiKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_TopKToOpenAIUpstream_DroppedAndNamedInHeader()
    {
        var (response, _) = await _gateway.PostJsonAsync("/v1/messages", new
        {
            model = "openai/gpt-4o-mini",
            max_tokens = 16,
            top_k = 5,
            messages = new[] { new { role = "user", content = "Hi" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("top_k", response.Headers.GetValues("x-tollgate-dropped-params").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountTokens_AnthropicUpstream_ItsOwnCount()
    {
        var (response, body) = await _gateway.PostJsonAsync("/v1/messages/count_tokens", new
        {
            model = "anthropic/claude-sonnet-4-5",
            messages = new[] { new { role = "user", content = "#emulator prompt_tokens=1234\nHow many?" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1234, body["input_tokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task CountTokens_OtherDialect_EstimateGrowsWithText()
    {
        var (_, small) = await _gateway.PostJsonAsync("/v1/messages/count_tokens", new
        {
            model = "openai/gpt-4o-mini",
            messages = new[] { new { role = "user", content = "Hi" } },
        });
        var (response, large) = await _gateway.PostJsonAsync("/v1/messages/count_tokens", new
        {
            model = "openai/gpt-4o-mini",
            messages = new[] { new { role = "user", content = string.Join(' ', Enumerable.Repeat("word", 400)) } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(small["input_tokens"]!.GetValue<long>() > 0);
        Assert.True(large["input_tokens"]!.GetValue<long>() > small["input_tokens"]!.GetValue<long>() + 100);
    }

    private Task<(HttpResponseMessage Response, JsonObject Body)> PostMessagesAsync(string model, string text) =>
        _gateway.PostJsonAsync("/v1/messages", new { model, max_tokens = 256, messages = new[] { new { role = "user", content = text } } });

    private static Tool WeatherTool() => new()
    {
        Name = "get_weather",
        Description = "Weather in a city",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement>
            {
                ["city"] = JsonSerializer.SerializeToElement(new { type = "string" }),
                ["days"] = JsonSerializer.SerializeToElement(new { type = "integer" }),
            },
            Required = ["city", "days"],
        },
    };

    private static object WeatherToolJson() => new
    {
        name = "get_weather",
        description = "Weather in a city",
        input_schema = new { type = "object", properties = new { city = new { type = "string" }, days = new { type = "integer" } }, required = new[] { "city", "days" } },
    };
}
