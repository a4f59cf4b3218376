namespace Tollgate.Emulator.Tests.Faults;

// quota_requests: successes report the remaining requests in the provider's headers; a used-up quota answers rate_limit
// until its window resets. Time is the test's.
public sealed class QuotaTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 0, TimeSpan.Zero);

    [Fact]
    public async Task Quota_OpenAI_CountsDownThenRateLimitsUntilTheWindowResets()
    {
        var time = new HeldTimeProvider(Now);
        var options = new EmulatorOptions { TimeProvider = time, Faults = EmulatorFaultRule.Parse("""{"quota_requests":2,"quota_window_s":60}""") };
        using var client = Emu.Client(options);

        using var first = await Api.SendAsync(client, Api.OpenAI);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("2", Api.Header(first, "x-ratelimit-limit-requests"));
        Assert.Equal("1", Api.Header(first, "x-ratelimit-remaining-requests"));
        Assert.Equal("1m0s", Api.Header(first, "x-ratelimit-reset-requests"));

        time.Now = Now.AddSeconds(15);
        using var second = await Api.SendAsync(client, Api.Embeddings);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("0", Api.Header(second, "x-ratelimit-remaining-requests"));
        Assert.Equal("45s", Api.Header(second, "x-ratelimit-reset-requests"));

        time.Now = Now.AddSeconds(20);
        using var refused = await Api.SendAsync(client, Api.OpenAI);
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(40), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("0", Api.Header(refused, "x-ratelimit-remaining-requests"));
        Assert.Equal("2", Api.Header(refused, "x-ratelimit-limit-requests"));
        Assert.Contains("Limit 2", Api.ErrorMessage(await Emu.ReadJsonAsync(refused)));
        Assert.Equal(0, options.Control.QuotaRemaining);

        time.Now = Now.AddSeconds(60);
        using var again = await Api.SendAsync(client, Api.OpenAI);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("1", Api.Header(again, "x-ratelimit-remaining-requests"));
        Assert.Equal(1, options.Control.FaultedRequests);
        Assert.Equal(1, options.Control.QuotaRemaining);
    }

    [Fact]
    public async Task Quota_Anthropic_ItsOwnHeadersWithResetInstants()
    {
        var time = new HeldTimeProvider(Now);
        using var client = Emu.Client(new EmulatorOptions { TimeProvider = time, Faults = EmulatorFaultRule.Parse("""{"quota_requests":1,"quota_window_s":30}""") });

        using var ok = await Api.SendAsync(client, Api.Anthropic);
        using var refused = await Api.SendAsync(client, Api.Anthropic, stream: true);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1", Api.Header(ok, "anthropic-ratelimit-requests-limit"));
        Assert.Equal("0", Api.Header(ok, "anthropic-ratelimit-requests-remaining"));
        Assert.Equal("2026-03-04T05:06:30Z", Api.Header(ok, "anthropic-ratelimit-requests-reset"));
        Assert.Null(Api.Header(ok, "x-ratelimit-remaining-requests"));
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal("rate_limit_error", Api.ErrorKind(Api.Anthropic, await Emu.ReadJsonAsync(refused)));
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("0", Api.Header(refused, "anthropic-ratelimit-requests-remaining"));
    }

    [Fact]
    public async Task Quota_Gemini_NoHeadersButResourceExhaustedWhenUsedUp()
    {
        using var client = Emu.Client(new EmulatorOptions { TimeProvider = new HeldTimeProvider(Now), Faults = EmulatorFaultRule.Parse("""{"quota_requests":1}""") });

        using var ok = await Api.SendAsync(client, Api.Gemini);
        using var refused = await Api.SendAsync(client, Api.Gemini);
        var body = await Emu.ReadJsonAsync(refused);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.DoesNotContain(ok.Headers, h => h.Key.Contains("ratelimit", StringComparison.OrdinalIgnoreCase));
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal("RESOURCE_EXHAUSTED", Api.ErrorKind(Api.Gemini, body));
        Assert.Equal("60s", (string)body["error"]!["details"]![0]!["retryDelay"]!);
    }

    [Fact]
    public async Task Quota_WithFailNext_AFailedRequestTakesFromTheQuotaAndReportsIt()
    {
        using var client = Emu.Client(new EmulatorOptions { TimeProvider = new HeldTimeProvider(Now), Faults = EmulatorFaultRule.Parse("""{"quota_requests":5,"fail_next":1,"status":500}""") });

        using var failed = await Api.SendAsync(client, Api.OpenAI);
        using var ok = await Api.SendAsync(client, Api.OpenAI);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("4", Api.Header(failed, "x-ratelimit-remaining-requests"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("3", Api.Header(ok, "x-ratelimit-remaining-requests"));
    }
}
