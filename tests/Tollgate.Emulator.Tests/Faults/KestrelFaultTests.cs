using System.Text;
using Microsoft.AspNetCore.Builder;

namespace Tollgate.Emulator.Tests.Faults;

// Over real sockets on 127.0.0.1: two emulator instances behind what would be one gateway, one failing, one healthy;
// reset as a dropped connection; the fault flags of the standalone server.
public sealed class KestrelFaultTests : IAsyncLifetime
{
    private WebApplication? _a;
    private WebApplication? _b;
    private HttpClient? _clientA;
    private HttpClient? _clientB;

    public async Task InitializeAsync()
    {
        (_a, _clientA) = await StartAsync(["--port", "0"]);
        (_b, _clientB) = await StartAsync(["--port", "0"]);
    }

    public async Task DisposeAsync()
    {
        foreach (var (app, client) in new[] { (_a, _clientA), (_b, _clientB) })
        {
            client?.Dispose();
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    private static async Task<(WebApplication, HttpClient)> StartAsync(string[] args, EmulatorOptions? options = null)
    {
        var app = EmulatorServer.Build([.. args, "--Logging:LogLevel:Default", "Warning"], options);
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri(app.Urls.Single().TrimEnd('/') + "/") });
    }

    private static async Task<JsonObject> GetJsonAsync(HttpClient client, string path) =>
        JsonNode.Parse(await client.GetStringAsync(path))!.AsObject();

    [Fact]
    public async Task TwoInstances_OneMadeToFailOverHttp_TheOtherHealthy_CountsShowWhereEachWent()
    {
        using var set = await _clientA!.PostAsync("_emulator/faults", new StringContent("""{"fail_next":2,"status":503}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        var statuses = new List<(char, int)>();
        foreach (var (name, client) in new[] { ('a', _clientA), ('b', _clientB!), ('a', _clientA), ('a', _clientA) })
        {
            using var response = await Api.SendAsync(client, Api.OpenAI, stream: true);
            await response.Content.ReadAsStringAsync();
            statuses.Add((name, (int)response.StatusCode));
        }

        Assert.Equal([('a', 503), ('b', 200), ('a', 503), ('a', 200)], statuses);
        var a = await GetJsonAsync(_clientA, "_emulator/requests");
        var b = await GetJsonAsync(_clientB!, "_emulator/requests");
        Assert.Equal(3, (long)a["endpoints"]!["chat_completions"]!);
        Assert.Equal(2, (long)a["faulted"]!);
        Assert.Equal(1, (long)b["total"]!);
        Assert.Equal(0, (long)b["faulted"]!);
        Assert.Equal(0, (int)(await GetJsonAsync(_clientA, "_emulator/faults"))["fail_next_remaining"]!);
    }

    [Theory]
    [InlineData(Api.OpenAI, false)]
    [InlineData(Api.OpenAI, true)]
    [InlineData(Api.Embeddings, false)]
    [InlineData(Api.Anthropic, true)]
    [InlineData(Api.CountTokens, false)]
    [InlineData(Api.Gemini, false)]
    public async Task ResetFault_OverKestrel_ConnectionDroppedBeforeAnyResponse(string api, bool stream)
    {
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Api.SendAsync(_clientA!, api, """{"fault":"reset"}""", stream));
        // Kestrel aborts with a reset: "Connection reset by peer" (or, if the close wins, "response ended prematurely").
        Assert.IsAssignableFrom<IOException>(ex.InnerException);

        // The instance is still up, and counted the request.
        using var next = await Api.SendAsync(_clientA!, api, stream: stream);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, (long)(await GetJsonAsync(_clientA!, "_emulator/requests"))["total"]!);
    }

    [Fact]
    public async Task RateLimitFault_OverKestrel_TheProvidersHeadersArrive()
    {
        using var response = await Api.SendAsync(_clientA!, Api.Anthropic, """{"fault":"rate_limit","retry_after":4}""");

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(4), response.Headers.RetryAfter?.Delta);
        Assert.Equal("0", Api.Header(response, "anthropic-ratelimit-requests-remaining"));
        Assert.Equal("100000", Api.Header(response, "anthropic-ratelimit-tokens-remaining"));
    }

    [Fact]
    public async Task MapEmulator_UnderAPrefix_ControlEndpointsThere()
    {
        var builder = WebApplication.CreateSlimBuilder();
        Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseUrls(builder.WebHost, "http://127.0.0.1:0");
        await using var app = builder.Build();
        var options = new EmulatorOptions();
        app.MapEmulator("/emu", options);
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single().TrimEnd('/') + "/emu/") };
            using var set = await client.PostAsync("_emulator/faults", new StringContent("""{"fault":"overloaded"}""", Encoding.UTF8, "application/json"));
            using var response = await Api.SendAsync(client, Api.Anthropic);

            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            Assert.Equal((HttpStatusCode)529, response.StatusCode);
            Assert.Equal("""{"fault":"overloaded"}""", options.Control.Faults!.ToJson());
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task EmulatorServer_FaultFlags_TheStartRule()
    {
        var (app, client) = await StartAsync(["--port", "0", "--faults", """{"fail_rate":0.5,"status":502,"seed":1}""", "--fail-next", "1", "--seed=9", "--fault", "overloaded"]);
        await using (app)
        using (client)
        {
            var faults = await GetJsonAsync(client, "_emulator/faults");
            Assert.True(JsonNode.DeepEquals(
                JsonNode.Parse("""{"fail_next":1,"fail_rate":0.5,"seed":9,"status":502,"fault":"overloaded"}"""), faults["faults"]), faults.ToJsonString());

            using var response = await Api.SendAsync(client, Api.Anthropic);
            Assert.Equal((HttpStatusCode)529, response.StatusCode);
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task EmulatorServer_FaultFlags_ReplaceTheRuleOfTheOptionsInstance()
    {
        var options = new EmulatorOptions { Faults = EmulatorFaultRule.Parse("""{"status":500}""") };
        var (app, client) = await StartAsync(["--port", "0", "--quota-requests", "3"], options);
        await using (app)
        using (client)
        {
            using var response = await Api.SendAsync(client, Api.OpenAI);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("2", Api.Header(response, "x-ratelimit-remaining-requests"));
            Assert.Equal(1, options.Control.RequestCount("chat_completions"));
            await app.StopAsync();
        }
    }

    [Theory]
    [InlineData(new[] { "--fail-rate", "2" }, "fail_rate")]
    [InlineData(new[] { "--status", "302" }, "status")]
    [InlineData(new[] { "--faults", "[1]" }, "--faults")]
    [InlineData(new[] { "--fail-next" }, "--fail-next")]
    public void EmulatorServer_BadFaultFlag_ArgumentExceptionNamingIt(string[] args, string named)
    {
        var ex = Assert.Throws<ArgumentException>(() => EmulatorServer.Build(["--port", "0", .. args]));

        Assert.Contains(named, ex.Message);
    }
}
