using System.Net;
using System.Text.Json.Nodes;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary>
/// Gemini's native API (<c>/v1beta/models/{model}:generateContent</c> and the rest) reaching a Gemini upstream
/// (passthrough), an OpenAI-dialect upstream and an Anthropic upstream (translated), with Gemini's authentication
/// forms and error shape.
/// </summary>
public sealed class GeminiEndpointTests : IAsyncLifetime
{
    private DialectGateway _gateway = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _gateway = await DialectGateway.StartAsync();
        _anonymous = new HttpClient { BaseAddress = _gateway.Address };
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _gateway.DisposeAsync();
    }

    [Theory]
    // 1000 prompt and 500 output tokens: gemini-2.5-flash 1000 * 0.3 + 500 * 2.5 = 1550 per 1M; gpt-4o-mini
    // 1000 * 0.15 + 500 * 0.6 = 450; claude-sonnet-4-5 1000 * 3 + 500 * 15 = 10500.
    [InlineData("gemini/gemini-2.5-flash", "gemini", "0.00155")]
    [InlineData("openai/gpt-4o-mini", "openai", "0.00045")]
    [InlineData("anthropic/claude-sonnet-4-5", "anthropic", "0.0105")]
    public async Task GenerateContent_EveryDialect_TextUsageAndCost(string model, string provider, string cost)
    {
        var (response, body) = await _gateway.PostJsonAsync($"/v1beta/models/{model}:generateContent", new
        {
            systemInstruction = new { parts = new[] { new { text = "Be brief." } } },
            contents = new[] { new { role = "user", parts = new[] { new { text = "Hello Gemini\n#emulator prompt_tokens=1000 completion_tokens=500" } } } },
            generationConfig = new { maxOutputTokens = 600 },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(provider, response.Headers.GetValues("x-tollgate-provider").Single());
        var candidate = body["candidates"]![0]!;
        Assert.Equal("Echo: Hello Gemini", (string?)candidate["content"]!["parts"]![0]!["text"]);
        Assert.Equal("STOP", (string?)candidate["finishReason"]);
        Assert.Equal(1000, (int)body["usageMetadata"]!["promptTokenCount"]!);
        Assert.Equal(500, (int)body["usageMetadata"]!["candidatesTokenCount"]!);
        Assert.Equal(1500, (int)body["usageMetadata"]!["totalTokenCount"]!);
        Assert.Equal(decimal.Parse(cost, System.Globalization.CultureInfo.InvariantCulture), (decimal)body["tollgate"]!["cost"]!);
    }

    [Theory]
    [InlineData("gemini/gemini-2.5-flash")]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("anthropic/claude-sonnet-4-5")]
    public async Task StreamGenerateContent_AltSse_PartialResponsesThenTheFinishWithUsage(string model)
    {
        var (response, events) = await _gateway.PostStreamAsync($"/v1beta/models/{model}:streamGenerateContent?alt=sse", new
        {
            contents = new[] { new { role = "user", parts = new[] { new { text = "five words to stream back\n#emulator prompt_tokens=300 completion_tokens=20" } } } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var responses = events.Select(e => JsonNode.Parse(e.Data)!).ToList();
        Assert.True(responses.Count > 1);
        var text = string.Concat(responses.Select(r => (string?)r["candidates"]![0]!["content"]!["parts"]![0]!["text"]));
        Assert.Equal("Echo: five words to stream back", text);
        var last = responses[^1];
        Assert.Equal("STOP", (string?)last["candidates"]![0]!["finishReason"]);
        Assert.Equal(300, (int)last["usageMetadata"]!["promptTokenCount"]!);
        Assert.True((decimal)last["tollgate"]!["cost"]! > 0);
    }

    [Fact]
    public async Task Auth_GeminiHeaderQueryKeyAndBearer_AllAccepted_QueryKeyOnlyOnGeminiPaths()
    {
        const string body = """{"contents":[{"parts":[{"text":"hi"}]}]}""";
        using (var header = new HttpRequestMessage(HttpMethod.Post, "/v1/models/gemini-2.5-flash:generateContent") { Content = DialectGateway.JsonContent(body) })
        {
            header.Headers.Add("x-goog-api-key", DialectGateway.MasterKey);
            Assert.Equal(HttpStatusCode.OK, (await _anonymous.SendAsync(header)).StatusCode);
        }

        using (var query = await _anonymous.PostAsync($"/v1beta/models/gemini-2.5-flash:generateContent?key={DialectGateway.MasterKey}", DialectGateway.JsonContent(body)))
        {
            Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        }

        using (var chat = await _anonymous.PostAsync($"/v1/chat/completions?key={DialectGateway.MasterKey}", DialectGateway.JsonContent("""{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, chat.StatusCode);
        }

        using var bad = await _anonymous.PostAsync("/v1beta/models/gemini-2.5-flash:generateContent?key=tg-wrong", DialectGateway.JsonContent(body));
        var error = await ErrorAsync(bad, 401);
        Assert.Equal("UNAUTHENTICATED", (string?)error["status"]);
    }

    [Theory]
    [InlineData("/v1beta/models/no-such-model:generateContent", 404, "NOT_FOUND")]
    [InlineData("/v1beta/models/gemini-2.5-flash:predict", 404, "NOT_FOUND")]
    [InlineData("/v1beta/tunedModels", 404, "NOT_FOUND")]
    public async Task Errors_AreGeminiShaped(string path, int status, string name)
    {
        using var response = await _gateway.Client.PostAsync(path, DialectGateway.JsonContent("""{"contents":[{"parts":[{"text":"hi"}]}]}"""));
        var error = await ErrorAsync(response, status);
        Assert.Equal(name, (string?)error["status"]);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
    }

    [Fact]
    public async Task Errors_InvalidBody_Is400InvalidArgument()
    {
        using var response = await _gateway.Client.PostAsync("/v1beta/models/openai/gpt-4o-mini:generateContent", DialectGateway.JsonContent("""{"generationConfig":{}}"""));
        var error = await ErrorAsync(response, 400);
        Assert.Equal("INVALID_ARGUMENT", (string?)error["status"]);
        Assert.Contains("contents", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EncodedSlashInTheModel_ResolvesAsProviderSlashModel()
    {
        var (response, body) = await _gateway.PostJsonAsync("/v1beta/models/openai%2Fgpt-4o-mini:generateContent", """{"contents":[{"parts":[{"text":"encoded"}]}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("openai", response.Headers.GetValues("x-tollgate-provider").Single());
        Assert.Equal("openai/gpt-4o-mini", (string?)body["modelVersion"]);
    }

    [Fact]
    public async Task CountTokens_GeminiPassthroughAndLocalEstimate()
    {
        var (gemini, counted) = await _gateway.PostJsonAsync("/v1beta/models/gemini-2.5-flash:countTokens", """{"contents":[{"parts":[{"text":"count\n#emulator prompt_tokens=77"}]}]}""");
        Assert.Equal(HttpStatusCode.OK, gemini.StatusCode);
        Assert.Equal(77, (int)counted["totalTokens"]!);

        var (openai, estimated) = await _gateway.PostJsonAsync("/v1beta/models/openai/gpt-4o-mini:countTokens", """{"contents":[{"parts":[{"text":"a few words to count here"}]}]}""");
        Assert.Equal(HttpStatusCode.OK, openai.StatusCode);
        Assert.InRange((int)estimated["totalTokens"]!, 3, 30);
    }

    [Fact]
    public async Task Models_GeminiShapeOnV1betaAndForGeminiClientsOnV1()
    {
        using var beta = await _gateway.Client.GetAsync("/v1beta/models");
        var list = JsonNode.Parse(await beta.Content.ReadAsStringAsync())!;
        Assert.Contains(list["models"]!.AsArray(), m => (string?)m!["name"] == "models/gemini/gemini-2.5-flash");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models/gemini/gemini-2.5-flash");
        request.Headers.Add("x-goog-api-key", DialectGateway.MasterKey);
        using var one = await _anonymous.SendAsync(request);
        var model = JsonNode.Parse(await one.Content.ReadAsStringAsync())!;
        Assert.Equal("models/gemini/gemini-2.5-flash", (string?)model["name"]);

        // OpenAI clients keep OpenAI's shape on the same path.
        using var openAI = await _gateway.Client.GetAsync("/v1/models");
        Assert.Equal("list", (string?)JsonNode.Parse(await openAI.Content.ReadAsStringAsync())!["object"]);
    }

    [Fact]
    public async Task RejectPolicy_WhatTheProviderCannotExpress_Is400NamingIt()
    {
        await using var strict = await DialectGateway.StartAsync(Tollgate.Gateway.Configuration.UnsupportedParameterPolicy.Reject);
        using var response = await strict.Client.PostAsync("/v1beta/models/anthropic/claude-sonnet-4-5:generateContent", DialectGateway.JsonContent("""
            {"contents":[{"parts":[{"text":"hi"}]}],"safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_NONE"}]}
            """));
        var error = await ErrorAsync(response, 400);
        Assert.Equal("INVALID_ARGUMENT", (string?)error["status"]);
        Assert.Contains("'safetySettings'", (string?)error["message"], StringComparison.Ordinal);

        // The drop policy (the default) sends the request without it and names it in a header.
        var (dropped, _) = await _gateway.PostJsonAsync("/v1beta/models/anthropic/claude-sonnet-4-5:generateContent", """
            {"contents":[{"parts":[{"text":"hi"}]}],"safetySettings":[]}
            """);
        Assert.Equal(HttpStatusCode.OK, dropped.StatusCode);
        Assert.Equal("safetySettings", dropped.Headers.GetValues("x-tollgate-dropped-params").Single());
    }

    private static async Task<JsonNode> ErrorAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal(status, (int)error["code"]!);
        return error;
    }
}
