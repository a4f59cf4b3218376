namespace Tollgate.Emulator.Tests.Faults;

// Per-instance fault rules, set at start (EmulatorOptions.Faults) or through EmulatorOptions.Control.
public sealed class InstanceFaultTests
{
    private static EmulatorOptions With(string rule) => new() { Faults = EmulatorFaultRule.Parse(rule) };

    private static async Task<List<int>> StatusesAsync(HttpClient client, int count, string api = Api.OpenAI)
    {
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var response = await Api.SendAsync(client, api);
            await response.Content.ReadAsByteArrayAsync();
            statuses.Add((int)response.StatusCode);
        }

        return statuses;
    }

    [Fact]
    public async Task FailNext_FromOptions_FailsThatManyThenHealthy()
    {
        var options = With("""{"fail_next":2,"status":503,"retry_after":3}""");
        using var client = Emu.Client(options);

        using var first = await Api.SendAsync(client, Api.OpenAI);
        Assert.Equal(TimeSpan.FromSeconds(3), first.Headers.RetryAfter?.Delta);
        Assert.Equal([503, 200, 200], await StatusesAsync(client, 3));
        Assert.Equal(4, options.Control.RequestCount("chat_completions"));
        Assert.Equal(2, options.Control.FaultedRequests);
        Assert.Equal(0, options.Control.FailNextRemaining);
    }

    [Fact]
    public async Task FailNext_WithoutStatusOrFault_Answers500()
    {
        using var client = Emu.Client(With("""{"fail_next":1}"""));

        Assert.Equal([500, 200], await StatusesAsync(client, 2));
    }

    [Theory]
    [InlineData(Api.OpenAI, 503)]
    [InlineData(Api.Embeddings, 503)]
    [InlineData(Api.Anthropic, 529)]
    [InlineData(Api.CountTokens, 529)]
    [InlineData(Api.Gemini, 503)]
    public async Task FailNext_EachApi_TheFaultInThatApisShape(string api, int status)
    {
        using var client = Emu.Client(With("""{"fail_next":1,"fault":"overloaded"}"""));

        Assert.Equal([status, 200], await StatusesAsync(client, 2, api));
    }

    [Fact]
    public async Task FailRate_SameSeed_SameRequestsFailInEveryInstance()
    {
        const string rule = """{"fail_rate":0.3,"seed":42,"status":502}""";
        var a = With(rule);
        var b = With(rule);
        using var clientA = Emu.Client(a);
        using var clientB = Emu.Client(b);

        var statusesA = await StatusesAsync(clientA, 100);
        var statusesB = await StatusesAsync(clientB, 100);

        Assert.Equal(statusesA, statusesB);
        var failed = statusesA.Count(s => s == 502);
        Assert.InRange(failed, 15, 45);
        Assert.Equal(100 - failed, statusesA.Count(s => s == 200));
        Assert.Equal(failed, a.Control.FaultedRequests);

        // Setting the rule again starts its sequence again.
        a.Control.SetFaults(EmulatorFaultRule.Parse(rule));
        Assert.Equal(statusesA, await StatusesAsync(clientA, 100));
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 20)]
    public async Task FailRate_ZeroAndOne_NeverAndAlways(double rate, int failures)
    {
        using var client = Emu.Client(new EmulatorOptions { Faults = new EmulatorFaultRule { FailRate = rate, Knobs = new Dictionary<string, string> { ["status"] = "500" } } });

        Assert.Equal(failures, (await StatusesAsync(client, 20)).Count(s => s == 500));
    }

    [Fact]
    public async Task FailNextAndFailRate_FailNextFirstThenTheRate()
    {
        using var client = Emu.Client(With("""{"fail_next":3,"fail_rate":0,"status":500}"""));

        Assert.Equal([500, 500, 500, 200, 200], await StatusesAsync(client, 5));
    }

    [Fact]
    public async Task InstanceOutcome_WinsOverTheRequestsStatusAndFault()
    {
        using var client = Emu.Client(With("""{"fault":"rate_limit"}"""));
        using var response = await Api.SendAsync(client, Api.OpenAI, """{"fault":"cut"}""", headers: [("x-emulator-status", "500")]);

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal("0", Api.Header(response, "x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task InstanceKnobs_WinKnobByKnob_TheRequestKeepsTheOthers()
    {
        using var client = Emu.Client(With("""{"prompt_tokens":7}"""));
        using var response = await Api.SendAsync(client, Api.OpenAI, """{"completion_tokens":5}""", headers: [("x-emulator-prompt-tokens", "42")]);
        var usage = (await Emu.ReadJsonAsync(response))["usage"]!;

        Assert.Equal(7, (int)usage["prompt_tokens"]!);
        Assert.Equal(5, (int)usage["completion_tokens"]!);
    }

    [Fact]
    public async Task RuleWithoutOutcome_HitsEveryRequest_LeavesTheRequestsOutcome()
    {
        var time = new InstantTimeProvider(DateTimeOffset.UnixEpoch);
        var options = new EmulatorOptions { TimeProvider = time, Faults = EmulatorFaultRule.Parse("""{"latency_ms":250}""") };
        using var client = Emu.Client(options);

        using var failed = await Api.SendAsync(client, Api.Anthropic, """{"status":500}""");
        using var ok = await Api.SendAsync(client, Api.Gemini);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal([TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250)], time.Delays);
        Assert.Equal(2, options.Control.FaultedRequests);
    }

    [Fact]
    public async Task Endpoints_TheRuleHitsOnlyTheListedEndpoints()
    {
        var options = With("""{"endpoints":["embeddings","generate_content"],"fail_next":2,"status":500}""");
        using var client = Emu.Client(options);

        Assert.Equal([200], await StatusesAsync(client, 1, Api.OpenAI));
        Assert.Equal([200], await StatusesAsync(client, 1, Api.Anthropic));
        Assert.Equal([500], await StatusesAsync(client, 1, Api.Embeddings));
        Assert.Equal([500, 200], await StatusesAsync(client, 2, Api.Gemini));
        Assert.Equal(0, options.Control.FailNextRemaining);
        Assert.Equal(5, options.Control.TotalRequests);
    }

    [Fact]
    public async Task SameOptions_HandlersAreOneInstance_OtherOptionsAreAnother()
    {
        var failing = With("""{"fail_next":2,"status":503}""");
        var healthy = new EmulatorOptions();
        using var first = Emu.Client(failing);
        using var second = Emu.Client(failing);
        using var other = Emu.Client(healthy);

        Assert.Equal([503], await StatusesAsync(first, 1));
        Assert.Equal([200], await StatusesAsync(other, 1));
        Assert.Equal([503, 200], await StatusesAsync(second, 2));
        Assert.Equal(3, failing.Control.RequestCount("chat_completions"));
        Assert.Equal(1, healthy.Control.RequestCount("chat_completions"));
        Assert.Equal(0, healthy.Control.FaultedRequests);
    }

    [Fact]
    public async Task ResetRule_InProcess_ThrowsAndStillCounts()
    {
        var options = With("""{"fail_next":1,"fault":"reset"}""");
        using var client = Emu.Client(options);

        await Assert.ThrowsAsync<HttpRequestException>(() => Api.SendAsync(client, Api.Gemini, stream: true));
        Assert.Equal([200], await StatusesAsync(client, 1, Api.Gemini));
        Assert.Equal(1, options.Control.RequestCount("stream_generate_content"));
        Assert.Equal(1, options.Control.RequestCount("generate_content"));
    }

    [Fact]
    public async Task ClearFaults_TheInstanceIsHealthyAgain_CountersKept()
    {
        var options = With("""{"status":500}""");
        using var client = Emu.Client(options);

        Assert.Equal([500], await StatusesAsync(client, 1));
        options.Control.ClearFaults();
        Assert.Equal([200], await StatusesAsync(client, 1));
        Assert.Null(options.Control.Faults);
        Assert.Equal(2, options.Control.TotalRequests);
        options.Control.ResetRequestCounts();
        Assert.Equal(0, options.Control.TotalRequests);
        Assert.Equal(0, options.Control.FaultedRequests);
    }

    [Fact]
    public void InvalidStartRule_ThrowsWhenTheEmulatorIsCreated()
    {
        var ex = Assert.Throws<ArgumentException>(() => new EmulatorHandler(new EmulatorOptions { Faults = new EmulatorFaultRule { FailRate = 2 } }));
        Assert.Equal("fail_rate", ex.ParamName);

        var knob = Assert.Throws<ArgumentException>(() => new EmulatorHandler(new EmulatorOptions
        {
            Faults = new EmulatorFaultRule { Knobs = new Dictionary<string, string> { ["fault"] = "explode" } },
        }));
        Assert.Equal("fault", knob.ParamName);
    }
}
