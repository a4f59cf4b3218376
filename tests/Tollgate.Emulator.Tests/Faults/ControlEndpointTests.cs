using System.Text;

namespace Tollgate.Emulator.Tests.Faults;

// /_emulator/faults and /_emulator/requests, in process (any base address, matched by suffix).
public sealed class ControlEndpointTests
{
    private static async Task<(HttpStatusCode Status, JsonNode Body)> CallAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual.ToJsonString());

    [Fact]
    public async Task Faults_PostGetDelete_SetReadAndClearTheRule()
    {
        using var client = Emu.Client();

        var (status, posted) = await CallAsync(client, HttpMethod.Post, "_emulator/faults", """{"fail_next":1,"status":503,"retry_after":"2"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        AssertJson("""{"faults":{"fail_next":1,"status":503,"retry_after":2},"fail_next_remaining":1,"quota_remaining":null}""", posted);

        using (var failed = await Api.SendAsync(client, Api.Anthropic))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), failed.Headers.RetryAfter?.Delta);
        }

        var (_, after) = await CallAsync(client, HttpMethod.Get, "_emulator/faults");
        AssertJson("""{"faults":{"fail_next":1,"status":503,"retry_after":2},"fail_next_remaining":0,"quota_remaining":null}""", after);

        var (_, cleared) = await CallAsync(client, HttpMethod.Delete, "_emulator/faults");
        AssertJson("""{"faults":null,"fail_next_remaining":null,"quota_remaining":null}""", cleared);
    }

    [Fact]
    public async Task Faults_FullRule_EchoedInItsOwnShape()
    {
        using var client = Emu.Client();
        const string rule = """{"fail_next":2,"fail_rate":0.25,"seed":7,"endpoints":["chat_completions","messages"],"quota_requests":10,"quota_window_s":30,"fault":"rate_limit","retry_after":5,"latency_ms":20,"tokens_per_second":2.5}""";

        var (status, body) = await CallAsync(client, HttpMethod.Post, "_emulator/faults", rule);

        Assert.Equal(HttpStatusCode.OK, status);
        AssertJson($$"""{"faults":{{rule}},"fail_next_remaining":2,"quota_remaining":10}""", body);
    }

    [Theory]
    [InlineData("""{"fail_rate":2}""", "fail_rate")]
    [InlineData("""{"fail_next":-1}""", "fail_next")]
    [InlineData("""{"seed":"x"}""", "seed")]
    [InlineData("""{"quota_window_s":0}""", "quota_window_s")]
    [InlineData("""{"endpoints":["chat_completions","nope"]}""", "endpoints")]
    [InlineData("""{"endpoints":{"a":1}}""", "endpoints")]
    [InlineData("""{"bogus":1}""", "bogus")]
    [InlineData("""{"fault":"explode"}""", "fault")]
    [InlineData("""{"status":[500]}""", "status")]
    [InlineData("""[1]""", null)]
    [InlineData("""not json""", null)]
    public async Task Faults_InvalidRule_400NamingTheField_RuleUnchanged(string rule, string? param)
    {
        var options = new EmulatorOptions { Faults = EmulatorFaultRule.Parse("""{"status":500}""") };
        using var client = Emu.Client(options);

        var (status, body) = await CallAsync(client, HttpMethod.Post, "_emulator/faults", rule);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", (string)body["error"]!["type"]!);
        Assert.Equal(param, (string?)body["error"]!["param"]);
        Assert.Equal("""{"status":500}""", options.Control.Faults!.ToJson());
    }

    [Fact]
    public async Task Requests_CountsPerEndpoint_ControlCallsNotCounted_DeleteZeroes()
    {
        var options = new EmulatorOptions { Faults = EmulatorFaultRule.Parse("""{"fail_next":1,"endpoints":["messages"]}""") };
        using var client = new HttpClient(new EmulatorHandler(options)) { BaseAddress = new Uri("http://upstream.invalid/openai/") };

        foreach (var api in new[] { Api.OpenAI, Api.OpenAI, Api.Anthropic, Api.Anthropic, Api.CountTokens, Api.Embeddings })
        {
            using var response = await Api.SendAsync(client, api);
        }

        using (await Api.SendAsync(client, Api.Gemini, stream: true))
        using (await client.GetAsync("v1/models"))
        using (await Emu.SendAsync(client, "v1/completions", "{}"))
        {
        }

        await CallAsync(client, HttpMethod.Get, "_emulator/faults");
        var (status, counts) = await CallAsync(client, HttpMethod.Get, "_emulator/requests");

        Assert.Equal(HttpStatusCode.OK, status);
        AssertJson("""
            {"total":9,"faulted":1,"endpoints":{"chat_completions":2,"embeddings":1,"models":1,"messages":2,"count_tokens":1,
             "generate_content":0,"stream_generate_content":1,"not_found":1,"responses":0,"responses_input_tokens":0}}
            """, counts);

        var (_, zeroed) = await CallAsync(client, HttpMethod.Delete, "_emulator/requests");
        Assert.Equal(0, (long)zeroed["total"]!);
        Assert.Equal(0, (long)zeroed["faulted"]!);
        Assert.All(zeroed["endpoints"]!.AsObject(), e => Assert.Equal(0, (long)e.Value!));
        Assert.Equal(0, options.Control.TotalRequests);
    }

    [Fact]
    public async Task Control_OtherMethods_404()
    {
        using var client = Emu.Client();
        using var put = await client.PutAsync("_emulator/faults", Emu.Json("{}"));
        using var post = await client.PostAsync("_emulator/requests", Emu.Json("{}"));

        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }
}
