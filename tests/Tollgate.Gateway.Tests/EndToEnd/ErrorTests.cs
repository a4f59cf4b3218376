using System.ClientModel;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OpenAI.Chat;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.EndToEnd;

/// <summary>Every error status the gateway owns or passes on, each in OpenAI's error shape, and never a 500.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ErrorTests(GatewayFixture fx)
{
    [Theory]
    [InlineData("{not json", null)]
    [InlineData("", null)]
    [InlineData("null", null)]
    [InlineData("[]", null)]
    [InlineData("""{"model":"openai/gpt-4o","messages":[]} trailing""", null)]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"","messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":42,"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"openai/gpt-4o"}""", "messages")]
    [InlineData("""{"model":"openai/gpt-4o","messages":"hi"}""", "messages")]
    [InlineData("""{"model":"openai/gpt-4o","messages":{"role":"user"}}""", "messages")]
    [InlineData("""{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", "stream")]
    [InlineData("""{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":3}""", "stream_options")]
    [InlineData("""{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],"max_tokens":-5}""", "max_tokens")]
    public async Task Chat_BadBody_Is400WithParam(string body, string? param)
    {
        using var response = await fx.PostAsync("/v1/chat/completions", body);
        var error = await E2E.AssertErrorAsync(response, 400);
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.Equal(param, (string?)error["param"]);
    }

    [Fact]
    public async Task Chat_DeeplyNestedBody_Is400NotACrash()
    {
        var nested = new StringBuilder("""{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],"x":""");
        nested.Append('[', 5000).Append(']', 5000).Append('}');
        using var response = await fx.PostAsync("/v1/chat/completions", nested.ToString());
        await E2E.AssertErrorAsync(response, 400);
    }

    [Fact]
    public async Task CompleteChat_WrongKey_Sdk401()
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() =>
            fx.Chat("openai/gpt-4o", key: "tg-not-the-master-key").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, ex.Status);
        var error = E2E.AssertErrorShape(ex.GetRawResponse()!.Content.ToString());
        Assert.Equal("invalid_api_key", (string?)error["code"]);
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/embeddings")]
    public async Task Post_NoKey_Is401(string path)
    {
        using var response = await fx.PostAsync(path, E2E.ChatBody("openai/gpt-4o", "hi"), key: null);
        await E2E.AssertErrorAsync(response, 401);
    }

    [Fact]
    public async Task Post_MasterKeyAsProviderKeyHeaderStyle_WrongSchemeIs401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fx.Gateway.Address, "/v1/chat/completions"))
        {
            Content = new StringContent(E2E.ChatBody("openai/gpt-4o", "hi"), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", GatewayFixture.MasterKey);
        using var response = await fx.Http.SendAsync(request);
        await E2E.AssertErrorAsync(response, 401);
    }

    [Theory]
    [InlineData("no-such-model-anywhere", "model_not_found")]
    [InlineData("nosuchprovider/some-model", "model_not_found")]
    [InlineData("together/meta-llama/Llama-3.3-70B-Instruct-Turbo", "provider_not_configured")]
    public async Task CompleteChat_UnknownModelOrProvider_Sdk404(string model, string code)
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => fx.Chat(model).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, ex.Status);
        var error = E2E.AssertErrorShape(ex.GetRawResponse()!.Content.ToString());
        Assert.Equal(code, (string?)error["code"]);
        Assert.Equal("model", (string?)error["param"]);
    }

    [Fact]
    public async Task Chat_UnknownModel_LedgerRecords404()
    {
        using var response = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("no-such-model-anywhere", "hi"));
        await E2E.AssertErrorAsync(response, 404);

        var entry = await fx.LedgerEntryAsync(E2E.RequestId(response));
        Assert.Equal(404, entry["status"]!.GetValue<int>());
        Assert.Null(entry["cost"]);
    }

    [Fact]
    public async Task Chat_BodyOverLimit_Is413()
    {
        var body = E2E.ChatBody("openai/gpt-4o", new string('x', (int)GatewayFixture.TightBodyLimit));
        using var response = await fx.PostAsync("/v1/chat/completions", body, gateway: fx.Tight);
        var error = await E2E.AssertErrorAsync(response, 413);
        Assert.Equal("request_too_large", (string?)error["code"]);

        // Just under the limit is served.
        var fits = E2E.ChatBody("openai/gpt-4o", new string('x', (int)GatewayFixture.TightBodyLimit - 200));
        using var ok = await fx.PostAsync("/v1/chat/completions", fits, gateway: fx.Tight);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Chat_ChunkedBodyOverLimit_Is413()
    {
        // No Content-Length: the gateway must count while reading.
        var bytes = Encoding.UTF8.GetBytes(E2E.ChatBody("openai/gpt-4o", new string('y', 3 * (int)GatewayFixture.TightBodyLimit)));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fx.Tight.Address, "/v1/chat/completions"))
        {
            Content = new StreamContent(new UnknownLengthStream(bytes)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFixture.MasterKey);
        using var response = await fx.Http.SendAsync(request);

        Assert.Null(request.Content.Headers.ContentLength);
        await E2E.AssertErrorAsync(response, 413);
    }

    [Fact]
    public async Task CompleteChat_UpstreamUnreachable_Sdk502()
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => fx.Chat("dead/gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(502, ex.Status);
        var error = E2E.AssertErrorShape(ex.GetRawResponse()!.Content.ToString());
        Assert.Equal("upstream_unreachable", (string?)error["code"]);
        Assert.Contains("dead", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_UpstreamUnreachable_502BeforeAnyEvent()
    {
        using var response = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("dead/gpt-4o", "hi", ""","stream":true"""));
        await E2E.AssertErrorAsync(response, 502);

        var entry = await fx.LedgerEntryAsync(E2E.RequestId(response));
        Assert.Equal(502, entry["status"]!.GetValue<int>());
        Assert.Equal("dead", (string?)entry["provider"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_UpstreamTooSlow_Is504(bool stream)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await fx.PostAsync(
            "/v1/chat/completions",
            E2E.ChatBody("openai/gpt-4o", E2E.WithKnobs("slow", "latency_ms=8000"), stream ? ""","stream":true""" : ""),
            gateway: fx.Tight);
        var error = await E2E.AssertErrorAsync(response, 504);

        Assert.Equal("upstream_timeout", (string?)error["code"]);
        Assert.True(Stopwatch.GetElapsedTime(started) >= GatewayFixture.TightTimeout - TimeSpan.FromMilliseconds(50));

        var entry = await fx.LedgerEntryAsync(E2E.RequestId(response), fx.Tight);
        Assert.Equal(504, entry["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Stream_HeadersThenNoEventWithinTimeout_Is504InErrorShape()
    {
        // The in-process demo upstream sends its headers at once and the first event only after ttft_ms, longer
        // than the tight gateway's timeout: nothing has reached the client, so it must get a 504, not a reset.
        using var response = await fx.PostAsync(
            "/v1/chat/completions",
            E2E.ChatBody("demo/demo-chat", E2E.WithKnobs("late", "ttft_ms=5000"), ""","stream":true"""),
            gateway: fx.Tight);
        var error = await E2E.AssertErrorAsync(response, 504);
        Assert.Equal("upstream_timeout", (string?)error["code"]);

        var entry = await fx.LedgerEntryAsync(E2E.RequestId(response), fx.Tight);
        Assert.Equal(504, entry["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Chat_StreamStallsAfterFirstChunk_LedgerRecordsTimeout()
    {
        // Headers and a first chunk arrive in time, then the upstream goes quiet for longer than the timeout.
        using var response = await fx.PostAsync(
            "/v1/chat/completions",
            E2E.ChatBody("openai/gpt-4o", E2E.WithKnobs("one two three four", "tokens_per_second=0.2"), ""","stream":true"""),
            gateway: fx.Tight);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = E2E.RequestId(response);

        var ex = await Record.ExceptionAsync(() => response.Content.ReadAsStringAsync());
        Assert.NotNull(ex);

        var entry = await fx.LedgerEntryAsync(requestId, fx.Tight);
        Assert.Equal(504, entry["status"]!.GetValue<int>());
        Assert.True(entry["estimated"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(400, "Emulated bad request.", "invalid_request_error")]
    [InlineData(404, "The model does not exist or you do not have access to it.", "invalid_request_error")]
    [InlineData(422, "Unprocessable request.", "invalid_request_error")]
    public async Task Chat_Upstream4xx_PassedOnWithProviderMessage(int status, string message, string type)
    {
        using var response = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("openai/gpt-4o", E2E.WithKnobs("hi", $"status={status}")));
        var error = await E2E.AssertErrorAsync(response, status);

        Assert.Equal(message, (string?)error["message"]);
        Assert.Equal(type, (string?)error["type"]);

        var entry = await fx.LedgerEntryAsync(E2E.RequestId(response));
        Assert.Equal(status, entry["status"]!.GetValue<int>());
        Assert.Equal("openai", (string?)entry["provider"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_Upstream429_StatusMessageAndRetryAfterPassedOn(bool stream)
    {
        using var response = await fx.PostAsync(
            "/v1/chat/completions",
            E2E.ChatBody("groq/llama-3.3-70b-versatile", E2E.WithKnobs("hi", "status=429 retry_after=7"), stream ? ""","stream":true""" : ""));
        var error = await E2E.AssertErrorAsync(response, 429);

        Assert.Equal("Rate limit reached for requests (emulated).", (string?)error["message"]);
        Assert.Equal("rate_limit_exceeded", (string?)error["code"]);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task CompleteChat_Upstream429_SdkSeesStatusAndRetryAfter()
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() =>
            fx.Chat("openai/gpt-4o").CompleteChatAsync([new UserChatMessage(E2E.WithKnobs("hi", "status=429 retry_after=3"))]));

        Assert.Equal(429, ex.Status);
        Assert.True(ex.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("3", retryAfter);
        Assert.Contains("Rate limit reached", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_Upstream5xx_PassedOnAsUpstreamError()
    {
        using var response = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("openai/gpt-4o", E2E.WithKnobs("hi", "status=503")));
        var error = await E2E.AssertErrorAsync(response, 503);
        Assert.Equal("server_error", (string?)error["type"]);
    }

    [Theory]
    [InlineData("GET", "/v1/chat/completions")]
    [InlineData("POST", "/v1/nothing-here")]
    [InlineData("GET", "/v2/models")]
    [InlineData("DELETE", "/v1/models/openai/gpt-4o")]
    public async Task UnknownRouteOrMethod_Is404InErrorShape(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(fx.Gateway.Address, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFixture.MasterKey);
        using var response = await fx.Http.SendAsync(request);
        await E2E.AssertErrorAsync(response, 404);
    }

    [Fact]
    public async Task Logs_AfterUpstreamFailures_NeverHoldTheProviderKey()
    {
        // Provoke the paths most likely to log: unreachable upstream, upstream error, timeout, cut stream.
        (await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("dead/gpt-4o", "hi"))).Dispose();
        (await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("openai/gpt-4o", E2E.WithKnobs("hi", "status=401")))).Dispose();
        (await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("openai/gpt-4o", E2E.WithKnobs("hi", "latency_ms=5000")), gateway: fx.Tight)).Dispose();
        await Record.ExceptionAsync(async () =>
        {
            using var cut = await fx.PostAsync("/v1/chat/completions", E2E.ChatBody("openai/gpt-4o", E2E.WithKnobs("a b c d e f", "cut"), ""","stream":true"""));
            await cut.Content.ReadAsStringAsync();
        });

        await fx.LedgerAsync();

        // The capture works (the unreachable provider was logged) and no line, at any level, holds the key.
        Assert.Contains(fx.Logs.Lines, l => l.Contains("dead", StringComparison.Ordinal));
        Assert.DoesNotContain(fx.Logs.Lines, line => line.Contains("BadHttpRequestException", StringComparison.Ordinal));
        Assert.True(fx.Guard.Responses > 0 && fx.Guard.BytesScanned > 0);
    }

    /// <summary>A stream that hides its length, so the client sends the body chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    [Fact]
    public async Task Chat_MalformedChunkedBody_Is400InOpenAIShapeAndInTheLedger()
    {
        // Kestrel refuses a chunk size that is not hex while the pipeline reads the body: the client's fault, a 400.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(fx.Gateway.Address.Host, fx.Gateway.Address.Port);
        var stream = tcp.GetStream();
        var head = $"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {GatewayFixture.MasterKey}\r\n"
            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        var requestId = System.Text.RegularExpressions.Regex.Match(response, "x-tollgate-request-id: (\\S+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase).Groups[1].Value;
        Assert.NotEmpty(requestId);
        var json = response[response.IndexOf("\r\n\r\n", StringComparison.Ordinal)..];
        Assert.Contains("\"bad_request_body\"", json, StringComparison.Ordinal);
        Assert.Contains("\"invalid_request_error\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain(fx.Logs.Lines, line => line.Contains(requestId, StringComparison.Ordinal) || line.Contains("Unhandled", StringComparison.Ordinal) && line.Contains("chunk", StringComparison.OrdinalIgnoreCase));

        System.Text.Json.Nodes.JsonNode? entry = null;
        for (var attempt = 0; attempt < 100 && entry is null; attempt++)
        {
            entry = (await fx.LedgerAsync()).FirstOrDefault(e => (string?)e!["id"] == requestId);
            if (entry is null)
            {
                await Task.Delay(50);
            }
        }

        Assert.NotNull(entry);
        Assert.Equal(400, entry!["status"]!.GetValue<int>());
    }
}
