using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Emulator;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary>The emulator speaking Anthropic's Messages API and Gemini's generateContent directly, over Kestrel.</summary>
public sealed class EmulatorDialectTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = EmulatorServer.Build(["--port", "0"], new EmulatorOptions { RecordingsDirectory = DialectGateway.RecordingsDirectory });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = NewClient(address, "x-api-key", "anthropic-version", "x-goog-api-key");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Messages_MissingMaxTokens_400InAnthropicShape()
    {
        var (status, body) = await PostAsync("/v1/messages", new { model = "claude-sonnet-4-5", messages = new[] { new { role = "user", content = "Hi" } } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Equal("max_tokens: Field required", body["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Messages_SystemRoleBeforeAnyUserTurn_400()
    {
        var (status, body) = await PostAsync("/v1/messages", new { model = "m", max_tokens = 10, messages = new[] { new { role = "system", content = "Hi" } } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("messages.0.role", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_Text_MessageShapeWithUsage()
    {
        var (status, body) = await PostAsync("/v1/messages", new
        {
            model = "claude-haiku-4-5",
            max_tokens = 100,
            messages = new[] { new { role = "user", content = "#emulator prompt_tokens=50 cached_tokens=20 completion_tokens=3\nHello" } },
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("message", body["type"]!.GetValue<string>());
        Assert.StartsWith("msg_", body["id"]!.GetValue<string>());
        Assert.Equal("Echo: Hello", body["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("end_turn", body["stop_reason"]!.GetValue<string>());
        Assert.Equal(30, body["usage"]!["input_tokens"]!.GetValue<long>());
        Assert.Equal(20, body["usage"]!["cache_read_input_tokens"]!.GetValue<long>());
        Assert.Equal(3, body["usage"]!["output_tokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task Messages_StreamWithTool_RealEventSequence()
    {
        var events = await StreamAsync("/v1/messages", new
        {
            model = "claude-haiku-4-5",
            max_tokens = 100,
            stream = true,
            tool_choice = new { type = "any" },
            tools = new[] { new { name = "lookup", input_schema = new { type = "object", properties = new { q = new { type = "string" } }, required = new[] { "q" } } } },
            messages = new[] { new { role = "user", content = "Find it" } },
        });

        var types = events.Select(e => e.Event).ToList();
        Assert.Equal(["message_start", "content_block_start", "ping"], types.Take(3));
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], types.TakeLast(3));
        Assert.All(events, e => Assert.Equal(e.Event, JsonNode.Parse(e.Data)!["type"]!.GetValue<string>()));
        var start = JsonNode.Parse(events[1].Data)!["content_block"]!;
        Assert.Equal("tool_use", start["type"]!.GetValue<string>());
        Assert.Equal("lookup", start["name"]!.GetValue<string>());
        var json = string.Concat(events.Where(e => e.Event == "content_block_delta").Select(e => JsonNode.Parse(e.Data)!["delta"]!["partial_json"]!.GetValue<string>()));
        Assert.Equal("""{"q":"test"}""", json);
        Assert.Equal("tool_use", JsonNode.Parse(events[^2].Data)!["delta"]!["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task GenerateContent_Text_GeminiShapeWithUsage()
    {
        var (status, body) = await PostAsync("/v1beta/models/gemini-2.5-flash:generateContent", new
        {
            contents = new[] { new { role = "user", parts = new[] { new { text = "#emulator prompt_tokens=40 completion_tokens=9 reasoning_tokens=4\nHi Gemini" } } } },
            generationConfig = new { maxOutputTokens = 50 },
        });

        Assert.Equal(HttpStatusCode.OK, status);
        var candidate = body["candidates"]![0]!;
        Assert.Equal("Echo: Hi Gemini", candidate["content"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("model", candidate["content"]!["role"]!.GetValue<string>());
        Assert.Equal("STOP", candidate["finishReason"]!.GetValue<string>());
        Assert.Equal("gemini-2.5-flash", body["modelVersion"]!.GetValue<string>());
        var usage = body["usageMetadata"]!;
        Assert.Equal(40, usage["promptTokenCount"]!.GetValue<long>());
        Assert.Equal(5, usage["candidatesTokenCount"]!.GetValue<long>());
        Assert.Equal(4, usage["thoughtsTokenCount"]!.GetValue<long>());
        Assert.Equal(49, usage["totalTokenCount"]!.GetValue<long>());
    }

    [Fact]
    public async Task GenerateContent_UnknownField_400InvalidArgument()
    {
        var (status, body) = await PostAsync("/v1beta/models/gemini-2.5-flash:generateContent", new
        {
            contents = new[] { new { role = "user", parts = new[] { new { text = "Hi" } } } },
            max_tokens = 5,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body["error"]!["code"]!.GetValue<int>());
        Assert.Equal("INVALID_ARGUMENT", body["error"]!["status"]!.GetValue<string>());
        Assert.Contains("max_tokens", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateContent_Status429_ResourceExhaustedWithRetryInfo()
    {
        var (status, body) = await PostAsync("/v1beta/models/gemini-2.5-flash:generateContent", new
        {
            contents = new[] { new { role = "user", parts = new[] { new { text = "#emulator status=429 retry_after=12\nHi" } } } },
        });

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("RESOURCE_EXHAUSTED", body["error"]!["status"]!.GetValue<string>());
        Assert.Equal("12s", body["error"]!["details"]![0]!["retryDelay"]!.GetValue<string>());
    }

    [Fact]
    public async Task StreamGenerateContent_Text_PiecesThenFinishWithUsage()
    {
        var events = await StreamAsync("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", new
        {
            contents = new[] { new { role = "user", parts = new[] { new { text = "one two three" } } } },
        });

        var payloads = events.Select(e => JsonNode.Parse(e.Data)!).ToList();
        Assert.Equal("Echo: one two three", string.Concat(payloads.Select(p => p["candidates"]![0]!["content"]!["parts"]![0]!["text"]!.GetValue<string>())));
        Assert.Equal("STOP", payloads[^1]["candidates"]![0]!["finishReason"]!.GetValue<string>());
        Assert.All(payloads.Take(payloads.Count - 1), p => Assert.Null(p["candidates"]![0]!["finishReason"]));
        Assert.NotNull(payloads[^1]["usageMetadata"]);
    }

    [Fact]
    public async Task GenerateContent_NamedFunction_FunctionCallWithArgsObject()
    {
        var (_, body) = await PostAsync("/v1beta/models/gemini-2.5-flash:generateContent", new
        {
            contents = new[] { new { role = "user", parts = new[] { new { text = "Look up" } } } },
            tools = new[] { new { functionDeclarations = new[] { new { name = "lookup", parameters = new { type = "OBJECT", properties = new { word = new { type = "STRING" } }, required = new[] { "word" } } } } } },
            toolConfig = new { functionCallingConfig = new { mode = "ANY", allowedFunctionNames = new[] { "lookup" } } },
        });

        var call = body["candidates"]![0]!["content"]!["parts"]![0]!["functionCall"]!;
        Assert.Equal("lookup", call["name"]!.GetValue<string>());
        Assert.Equal("test", call["args"]!["word"]!.GetValue<string>());
    }

    [Fact]
    public async Task Replay_Response_ServedVerbatim()
    {
        var response = await _client.PostAsync("/v1/messages", DialectGateway.JsonContent(new
        {
            model = "m",
            max_tokens = 10,
            messages = new[] { new { role = "user", content = "#emulator replay=anthropic/anthropic-text\nHi" } },
        }));

        var expected = await File.ReadAllBytesAsync(Path.Combine(DialectGateway.RecordingsDirectory, "anthropic", "anthropic-text.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Replay_Stream_EveryRecordedEventInOrderWithItsEventName()
    {
        var events = await StreamAsync("/v1/messages", new
        {
            model = "m",
            max_tokens = 10,
            stream = true,
            messages = new[] { new { role = "user", content = "#emulator replay=anthropic/anthropic-text\nHi" } },
        });

        var lines = File.ReadAllLines(Path.Combine(DialectGateway.RecordingsDirectory, "anthropic", "anthropic-text.chunks.txt")).Where(l => l.Length > 0).ToList();
        Assert.Equal(lines, events.Select(e => e.Data));
        Assert.All(events, e => Assert.Equal(e.Event, JsonNode.Parse(e.Data)!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Build_RecordingsArgument_TurnsReplayOn()
    {
        await using var app = EmulatorServer.Build(["--port", "0", "--recordings", DialectGateway.RecordingsDirectory]);
        await app.StartAsync();
        using var client = NewClient(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(), "x-goog-api-key");

        var response = await client.PostAsync("/v1beta/models/gemini-2.5-flash:generateContent", DialectGateway.JsonContent(new
        {
            contents = new[] { new { role = "user", parts = new[] { new { text = "#emulator replay=google/google-text\nHi" } } } },
        }));

        var expected = await File.ReadAllBytesAsync(Path.Combine(DialectGateway.RecordingsDirectory, "google", "google-text.json"));
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
        await app.StopAsync();
    }

    [Fact]
    public async Task Replay_PathOutsideRecordings_400()
    {
        var (status, body) = await PostAsync("/v1/messages", new
        {
            model = "m",
            max_tokens = 10,
            emulator = new { replay = "../../etc/passwd" },
            messages = new[] { new { role = "user", content = "Hi" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("replay", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x-api-key", 401, "authentication_error")]
    [InlineData("anthropic-version", 400, "invalid_request_error")]
    public async Task Messages_MissingHeader_RefusedAsAnthropicDoes(string missing, int status, string type)
    {
        using var client = NewClient(_client.BaseAddress!.ToString(), new[] { "x-api-key", "anthropic-version" }.Where(h => h != missing).ToArray());
        var response = await client.PostAsync("/v1/messages", DialectGateway.JsonContent(new { model = "m", max_tokens = 5, messages = new[] { new { role = "user", content = "Hi" } } }));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(type, body["error"]!["type"]!.GetValue<string>());
        Assert.Contains(missing, body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateContent_NoApiKey_403PermissionDenied()
    {
        using var client = NewClient(_client.BaseAddress!.ToString());
        var response = await client.PostAsync("/v1beta/models/gemini-2.5-flash:generateContent", DialectGateway.JsonContent(new { contents = new[] { new { parts = new[] { new { text = "Hi" } } } } }));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("PERMISSION_DENIED", body["error"]!["status"]!.GetValue<string>());
    }

    private static HttpClient NewClient(string address, params string[] headers)
    {
        var client = new HttpClient { BaseAddress = new Uri(address) };
        foreach (var header in headers)
        {
            client.DefaultRequestHeaders.Add(header, header == "anthropic-version" ? "2023-06-01" : "emulator-key");
        }

        return client;
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string path, object body)
    {
        var response = await _client.PostAsync(path, DialectGateway.JsonContent(body));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private async Task<List<(string? Event, string Data)>> StreamAsync(string path, object body)
    {
        var response = await _client.PostAsync(path, DialectGateway.JsonContent(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new List<(string?, string)>();
        string? name = null;
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            var l = line.TrimEnd('\r');
            if (l.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = l["event: ".Length..];
            }
            else if (l.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((name, l["data: ".Length..]));
                name = null;
            }
        }

        return events;
    }
}
