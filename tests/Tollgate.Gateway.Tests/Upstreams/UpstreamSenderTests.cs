using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Upstreams.Passthrough;
using Xunit;

namespace Tollgate.Gateway.Tests.Upstreams;

/// <summary>The upstream seam: every way a provider can answer becomes a value of a known kind.</summary>
public sealed class UpstreamSenderTests
{
    private const string Secret = "sk-test-secret-0123456789";
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SendAsync_ConnectionRefused_IsConnectFailure()
    {
        using var result = await SendAsync((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"));
        Assert.Equal(UpstreamFailure.Connect, result.Failure);
        Assert.Equal(502, result.Status);
        Assert.DoesNotContain(Secret, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NoHeadersInTime_IsTimeout()
    {
        using var result = await SendAsync(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }, firstByte: TimeSpan.FromMilliseconds(50));
        Assert.Equal(UpstreamFailure.Timeout, result.Failure);
        Assert.Equal(504, result.Status);
    }

    [Fact]
    public async Task SendAsync_ErrorStatus_CarriesScrubbedBodyAndRetryAfter()
    {
        using var result = await SendAsync((_, _) =>
        {
            var response = Json(HttpStatusCode.TooManyRequests, "{\"error\":{\"message\":\"key " + Secret + " and sk\\u002dtest\\u002dsecret\\u002d0123456789 over quota\"}}");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return Task.FromResult(response);
        });
        Assert.Equal(UpstreamFailure.Status, result.Failure);
        Assert.Equal(429, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        var body = Encoding.UTF8.GetString(result.Body!.WrittenSpan);
        Assert.DoesNotContain("test-secret", body, StringComparison.Ordinal);
        Assert.DoesNotContain("test\\u002dsecret", body, StringComparison.Ordinal);
        Assert.Contains("[redacted]", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_EmptySuccessBody_IsBadResponse()
    {
        using var result = await SendAsync((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) }));
        Assert.Equal(UpstreamFailure.BadResponse, result.Failure);
    }

    [Fact]
    public async Task SendAsync_SuccessBody_IsReadWhole()
    {
        using var result = await SendAsync((_, _) => Task.FromResult(Json(HttpStatusCode.OK, "{\"id\":\"x\"}")));
        Assert.True(result.Succeeded);
        Assert.Equal("{\"id\":\"x\"}", Encoding.UTF8.GetString(result.Body!.WrittenSpan));
    }

    [Fact]
    public async Task SendAsync_StreamEndingBeforeAnyEvent_IsBadResponse()
    {
        using var result = await SendAsync((_, _) => Task.FromResult(Sse("data: {\"partial\"")), stream: true);
        Assert.Equal(UpstreamFailure.BadResponse, result.Failure);
    }

    [Fact]
    public async Task SendAsync_StreamWithFirstEvent_HandsOverWhatWasRead()
    {
        using var result = await SendAsync((_, _) => Task.FromResult(Sse("data: {\"a\":1}\n\ndata: [DONE]\n\n")), stream: true);
        Assert.True(result.Succeeded);
        Assert.NotNull(result.Events);
        Assert.StartsWith("data: {\"a\":1}\n\n", Encoding.UTF8.GetString(result.Events!.Pending.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_OpenAIDeployment_SendsBearerKeyAndRewrittenModel()
    {
        FakeHandler? handler = null;
        string? sent = null;
        using var result = await SendAsync(async (request, _) =>
        {
            sent = await request.Content!.ReadAsStringAsync();
            return Json(HttpStatusCode.OK, "{}");
        }, captured: h => handler = h);
        Assert.Equal("Bearer " + Secret, handler!.Requests[0].Headers.Authorization!.ToString());
        Assert.Contains("\"model\":\"upstream-model\"", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("\"models\"", sent, StringComparison.Ordinal);
    }

    private static async Task<UpstreamResult> SendAsync(
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer,
        bool stream = false,
        TimeSpan? firstByte = null,
        Action<FakeHandler>? captured = null)
    {
        var handler = new FakeHandler(answer);
        captured?.Invoke(handler);
        var upstream = new Upstream(new ProviderSettings { Id = "fake", BaseUrl = "http://fake.invalid/v1", ApiKey = Secret, Dialect = UpstreamDialect.OpenAI }, handler);
        var route = new Route(upstream, "upstream-model", null);
        var body = Encoding.UTF8.GetBytes("{\"model\":\"client-model\",\"models\":[\"a/b\"],\"stream\":" + (stream ? "true" : "false") + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        var request = OpenAIRequestReader.Read(body, OpenAIRequestReader.Kind.Chat);
        Assert.Null(request.Error);
        using var exchange = new OpenAIPassthroughExchange(route, request, body, _ => null);
        var sender = new UpstreamSender(NullLogger<UpstreamSender>.Instance, TimeProvider.System);
        return await sender.SendAsync(exchange, firstByte ?? Long, Long, CancellationToken.None);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Sse(string text) =>
        new(HttpStatusCode.OK) { Content = new StringContent(text, Encoding.UTF8, "text/event-stream") };
}
