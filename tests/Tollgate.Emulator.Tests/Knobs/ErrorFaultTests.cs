namespace Tollgate.Emulator.Tests.Knobs;

// The error faults of one request (rate_limit, overloaded, context_length, reset), in every API the emulator speaks.
public sealed class ErrorFaultTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private static HttpClient Client() => Emu.Client(new EmulatorOptions { TimeProvider = new InstantTimeProvider(Now) });

    [Theory]
    [InlineData(Api.OpenAI, false)]
    [InlineData(Api.OpenAI, true)]
    [InlineData(Api.Embeddings, false)]
    [InlineData(Api.Anthropic, false)]
    [InlineData(Api.Anthropic, true)]
    [InlineData(Api.CountTokens, false)]
    [InlineData(Api.Gemini, false)]
    [InlineData(Api.Gemini, true)]
    public async Task RateLimitFault_EachApi_429WithRetryAfterAndTheProvidersHeaders(string api, bool stream)
    {
        using var client = Client();
        using var response = await Api.SendAsync(client, api, """{"fault":"rate_limit","retry_after":7}""", stream);
        var body = await Emu.ReadJsonAsync(response);

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        switch (api)
        {
            case Api.OpenAI or Api.Embeddings:
                Assert.Equal("60", Api.Header(response, "x-ratelimit-limit-requests"));
                Assert.Equal("0", Api.Header(response, "x-ratelimit-remaining-requests"));
                Assert.Equal("100000", Api.Header(response, "x-ratelimit-remaining-tokens"));
                Assert.Equal("7s", Api.Header(response, "x-ratelimit-reset-requests"));
                Assert.Null(Api.Header(response, "anthropic-ratelimit-requests-remaining"));
                Assert.Equal("requests", Api.ErrorKind(api, body));
                Assert.Equal("rate_limit_exceeded", (string)body["error"]!["code"]!);
                Assert.Contains(api == Api.OpenAI ? "gpt-4o-mini" : "text-embedding-3-small", Api.ErrorMessage(body));
                break;
            case Api.Anthropic or Api.CountTokens:
                Assert.Equal("error", (string)body["type"]!);
                Assert.Equal("rate_limit_error", Api.ErrorKind(api, body));
                Assert.Equal("60", Api.Header(response, "anthropic-ratelimit-requests-limit"));
                Assert.Equal("0", Api.Header(response, "anthropic-ratelimit-requests-remaining"));
                Assert.Equal("100000", Api.Header(response, "anthropic-ratelimit-tokens-remaining"));
                Assert.Equal("2026-03-04T05:06:14Z", Api.Header(response, "anthropic-ratelimit-requests-reset"));
                Assert.Null(Api.Header(response, "x-ratelimit-remaining-requests"));
                break;
            default:
                // Gemini sends no rate-limit headers; its body says when to retry.
                Assert.Equal("RESOURCE_EXHAUSTED", Api.ErrorKind(api, body));
                Assert.Equal(429, (int)body["error"]!["code"]!);
                Assert.Equal("7s", (string)body["error"]!["details"]![0]!["retryDelay"]!);
                Assert.Null(Api.Header(response, "x-ratelimit-remaining-requests"));
                Assert.Null(Api.Header(response, "anthropic-ratelimit-requests-remaining"));
                break;
        }
    }

    [Fact]
    public async Task RateLimitFault_BareDirectiveWord_DefaultRetryAfterOneSecond()
    {
        using var client = Client();
        using var response = await Api.SendAsync(client, Api.OpenAI, text: "hi\n#emulator rate_limit");

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("1s", Api.Header(response, "x-ratelimit-reset-requests"));
    }

    [Theory]
    [InlineData(Api.OpenAI, 503, "server_error")]
    [InlineData(Api.Embeddings, 503, "server_error")]
    [InlineData(Api.Anthropic, 529, "overloaded_error")]
    [InlineData(Api.CountTokens, 529, "overloaded_error")]
    [InlineData(Api.Gemini, 503, "UNAVAILABLE")]
    public async Task OverloadedFault_EachApi_ItsOverloadedStatusWithRetryAfter(string api, int status, string kind)
    {
        using var client = Client();
        using var response = await Api.SendAsync(client, api, """{"fault":"overloaded","retry_after":3}""");
        var body = await Emu.ReadJsonAsync(response);

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal(kind, Api.ErrorKind(api, body));
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        if (api is Api.Anthropic or Api.CountTokens)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""), body), body.ToJsonString());
        }
    }

    [Theory]
    [InlineData(Api.OpenAI, """{"error":{"message":"This model's maximum context length is 4096 tokens. However, your messages resulted in 5000 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""")]
    [InlineData(Api.Embeddings, """{"error":{"message":"This model's maximum context length is 4096 tokens, however you requested 5000 tokens (5000 in your prompt; 0 for the completion). Please reduce your prompt; or completion length.","type":"invalid_request_error","param":null,"code":null}}""")]
    [InlineData(Api.Anthropic, """{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 5000 tokens > 4096 maximum"}}""")]
    [InlineData(Api.CountTokens, """{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 5000 tokens > 4096 maximum"}}""")]
    [InlineData(Api.Gemini, """{"error":{"code":400,"message":"The input token count (5000) exceeds the maximum number of tokens allowed (4096).","status":"INVALID_ARGUMENT"}}""")]
    public async Task ContextLengthFault_EachApi_TheProvidersOwnErrorBody(string api, string expected)
    {
        using var client = Client();
        using var response = await Api.SendAsync(client, api, """{"fault":"context_length","prompt_tokens":5000,"context_window":4096}""");
        var body = await Emu.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), body), body.ToJsonString());
    }

    [Theory]
    [InlineData(Api.OpenAI, "maximum context length is 128000 tokens. However, your messages resulted in 128001 tokens")]
    [InlineData(Api.Embeddings, "maximum context length is 8192 tokens, however you requested 8193 tokens")]
    [InlineData(Api.Anthropic, "prompt is too long: 200001 tokens > 200000 maximum")]
    [InlineData(Api.Gemini, "The input token count (1048577) exceeds the maximum number of tokens allowed (1048576).")]
    public async Task ContextLengthFault_ShortPromptNoWindow_TheApisUsualWindowJustExceeded(string api, string expected)
    {
        using var client = Client();
        using var response = await Api.SendAsync(client, api, """{"fault":"context_length"}""", text: "hi");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, Api.ErrorMessage(await Emu.ReadJsonAsync(response)));
    }

    [Theory]
    [InlineData(Api.OpenAI, "context_length_exceeded")]
    [InlineData(Api.Embeddings, null)]
    [InlineData(Api.Anthropic, null)]
    [InlineData(Api.CountTokens, null)]
    [InlineData(Api.Gemini, null)]
    public async Task ContextWindowKnob_PromptOverTheWindow_ContextErrorAtTheWindowNoneBelow(string api, string? code)
    {
        using var client = Client();
        using var over = await Api.SendAsync(client, api, """{"context_window":100,"prompt_tokens":101}""");
        using var at = await Api.SendAsync(client, api, """{"context_window":100,"prompt_tokens":100}""");

        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        var error = await Emu.ReadJsonAsync(over);
        Assert.Contains("101", Api.ErrorMessage(error));
        Assert.Contains("100", Api.ErrorMessage(error));
        if (code is not null)
        {
            Assert.Equal(code, (string)error["error"]!["code"]!);
        }

        Assert.Equal(HttpStatusCode.OK, at.StatusCode);
    }

    [Fact]
    public async Task ContextWindowKnob_EstimatedPrompt_ComparedWithoutPromptTokensKnob()
    {
        // 3 + (4 + ceil(400 / 4)) = 107 estimated prompt tokens.
        using var client = Client();
        using var response = await Api.SendAsync(client, Api.OpenAI, """{"context_window":106}""", text: new string('a', 400));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("resulted in 107 tokens", Api.ErrorMessage(await Emu.ReadJsonAsync(response)));
    }

    [Theory]
    [InlineData(Api.OpenAI, false)]
    [InlineData(Api.OpenAI, true)]
    [InlineData(Api.Embeddings, false)]
    [InlineData(Api.Anthropic, true)]
    [InlineData(Api.CountTokens, false)]
    [InlineData(Api.Gemini, true)]
    public async Task ResetFault_InProcess_EachApi_HttpRequestExceptionBeforeAnyResponse(string api, bool stream)
    {
        using var client = Client();

        // As SocketsHttpHandler reports a connection Kestrel aborted: a reset IOException inside.
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Api.SendAsync(client, api, """{"fault":"reset"}""", stream));
        var io = Assert.IsAssignableFrom<IOException>(ex.InnerException);
        Assert.Equal(System.Net.Sockets.SocketError.ConnectionReset, Assert.IsType<System.Net.Sockets.SocketException>(io.InnerException).SocketErrorCode);
    }

    [Fact]
    public async Task ResetFault_ModelsHeader_DropsToo()
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        request.Headers.Add("x-emulator-fault", "reset");

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));
    }

    [Fact]
    public async Task ErrorFault_WithStatusKnob_TheFaultWins()
    {
        using var client = Client();
        using var response = await Api.SendAsync(client, Api.Anthropic, """{"fault":"overloaded","status":500}""");

        Assert.Equal((HttpStatusCode)529, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"fault":"explode"}""", "emulator.fault", "rate_limit, reset, stall_stream, context_length, overloaded")]
    [InlineData("""{"stall_ms":-1}""", "emulator.stall_ms", ">= 0")]
    [InlineData("""{"context_window":0}""", "emulator.context_window", ">= 1")]
    public async Task FaultKnobs_InvalidValue_400NamingTheKnob(string knobs, string param, string expected)
    {
        using var client = Client();
        using var response = await Api.SendAsync(client, Api.OpenAI, knobs);
        var error = (await Emu.ReadJsonAsync(response))["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, (string)error["param"]!);
        Assert.Contains(expected, (string)error["message"]!);
    }
}
