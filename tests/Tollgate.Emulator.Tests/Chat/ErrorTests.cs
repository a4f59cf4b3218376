namespace Tollgate.Emulator.Tests.Chat;

public sealed class ErrorTests
{
    private static async Task<JsonNode> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", Emu.ContentType(response)?.MediaType);
        var body = await Emu.ReadJsonAsync(response);
        var error = body["error"]!.AsObject();
        Assert.Equal(["message", "type", "param", "code"], error.Select(p => p.Key));
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        Assert.Equal(type, (string)error["type"]!);
        return error;
    }

    [Fact]
    public async Task Chat_MalformedJson_Returns400WithOpenAiErrorShape()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client, """{"model":"m","messages":[""");

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Null(error["param"]);
        Assert.Contains("JSON", (string)error["message"]!);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"m"}""", "messages")]
    [InlineData("""{"model":"m","messages":"hi"}""", "messages")]
    [InlineData("""{"model":"m","messages":{"role":"user"}}""", "messages")]
    [InlineData("""{"model":"m","messages":[]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"content":"no role"}]}""", "messages[0].role")]
    [InlineData("""{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"m","emulator":{"bogus":1},"messages":[{"role":"user","content":"hi"}]}""", "emulator.bogus")]
    [InlineData("""{"model":"m","emulator":{"latency_ms":"soon"},"messages":[{"role":"user","content":"hi"}]}""", "emulator.latency_ms")]
    [InlineData("""{"model":"m","emulator":{"status":302},"messages":[{"role":"user","content":"hi"}]}""", "emulator.status")]
    [InlineData("""{"model":"m","emulator":"fast","messages":[{"role":"user","content":"hi"}]}""", "emulator")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"#emulator fault=explode"}]}""", "emulator.fault")]
    public async Task Chat_InvalidRequest_Returns400NamingParam(string body, string param)
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client, body);

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal(param, (string)error["param"]!);
    }

    [Fact]
    public async Task Chat_Status429Knob_RateLimitErrorWithRetryAfter()
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","stream":true,"emulator":{"status":429,"retry_after":7},"messages":[{"role":"user","content":"hi"}]}""");

        var error = await AssertErrorAsync(response, (HttpStatusCode)429, "requests");
        Assert.Equal("rate_limit_exceeded", (string)error["code"]!);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    [Theory]
    [InlineData(500, "server_error")]
    [InlineData(503, "server_error")]
    [InlineData(401, "invalid_request_error")]
    public async Task Chat_StatusKnobFromHeader_ErrorBodyWithThatStatus(int status, string type)
    {
        using var client = Emu.Client();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","messages":[{"role":"user","content":"hi"}]}""", ("x-emulator-status", status.ToString()));

        await AssertErrorAsync(response, (HttpStatusCode)status, type);
    }

    [Fact]
    public async Task Chat_StatusKnobInDirective_ErrorAfterLatency()
    {
        using var client = Emu.Client();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await Emu.PostChatAsync(client,
            """{"model":"m","messages":[{"role":"user","content":"hi\n#emulator status=500 latency_ms=50"}]}""");

        await AssertErrorAsync(response, HttpStatusCode.InternalServerError, "server_error");
        Assert.True(watch.ElapsedMilliseconds >= 45, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task UnknownPath_Returns404InvalidUrl()
    {
        using var client = Emu.Client();
        using var response = await Emu.SendAsync(client, "v1/completions", "{}");

        var error = await AssertErrorAsync(response, HttpStatusCode.NotFound, "invalid_request_error");
        Assert.Equal("Invalid URL (POST /v1/completions)", (string)error["message"]!);
    }
}
