using Microsoft.Extensions.Time.Testing;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Resilience;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Tests.Routing;

namespace Tollgate.Gateway.Tests.Resilience;

public sealed class ProviderQuotasTests
{
    // 12:00:30 UTC: half a minute before the minute window ends.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 30, TimeSpan.Zero));

    private ProviderQuotas Quotas() => new(_time);

    [Fact]
    public async Task Check_NoLimits_AlwaysRoom()
    {
        var quotas = Quotas();
        var d = Deployments.Make("unlimited");
        for (var i = 0; i < 1000; i++)
        {
            Assert.NotNull(await quotas.TryReserveAsync(d, 10_000));
        }

        Assert.True(quotas.HasRoom(d, 10_000));
    }

    [Fact]
    public async Task Reserve_RpmUsed_NoRoomUntilNextMinute()
    {
        var quotas = Quotas();
        var d = Deployments.Make("groq-free", limits: new ProviderLimits { RequestsPerMinute = 3 });
        for (var i = 0; i < 3; i++)
        {
            Assert.True(quotas.HasRoom(d, 100));
            Assert.NotNull(await quotas.TryReserveAsync(d, 100));
        }

        var check = quotas.Check(d, 100);
        Assert.False(check.HasRoom);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 1, 0, TimeSpan.Zero), check.RoomAt);
        Assert.Equal("groq-free rpm 3", check.Limit);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(quotas.HasRoom(d, 100));
    }

    [Fact]
    public async Task TryReserveAsync_ConcurrentAtTheLimit_CountsExactlyTheLimit_AndRefusesTheRest()
    {
        var quotas = Quotas();
        var d = Deployments.Make("groq-free", limits: new ProviderLimits { RequestsPerMinute = 30, TokensPerDay = 1_000_000 });

        var reservations = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(async () => await quotas.TryReserveAsync(d, 100))));

        Assert.Equal(30, reservations.Count(r => r is not null));
        Assert.False(quotas.HasRoom(d, 100));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.NotNull(await quotas.TryReserveAsync(d, 100));
    }

    [Fact]
    public async Task Reserve_SameProviderOtherModel_SharesTheProviderQuota()
    {
        var quotas = Quotas();
        var limits = new ProviderLimits { RequestsPerMinute = 2 };
        var a = Deployments.Make("groq-free", "llama", limits: limits);
        var b = a with { UpstreamModel = "mixtral" };
        Assert.NotNull(await quotas.TryReserveAsync(a, 1));
        Assert.NotNull(await quotas.TryReserveAsync(a, 1));

        Assert.False(quotas.HasRoom(b, 1));
    }

    [Fact]
    public async Task Reserve_RpdUsed_NoRoomUntilUtcMidnight()
    {
        var quotas = Quotas();
        var d = Deployments.Make("gemini-free", limits: new ProviderLimits { RequestsPerDay = 2, RequestsPerMinute = 100 });
        Assert.NotNull(await quotas.TryReserveAsync(d, 1));
        _time.Advance(TimeSpan.FromHours(3));
        Assert.NotNull(await quotas.TryReserveAsync(d, 1));

        var check = quotas.Check(d, 1);
        Assert.False(check.HasRoom);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), check.RoomAt);

        _time.SetUtcNow(new DateTimeOffset(2026, 3, 2, 0, 0, 1, TimeSpan.Zero));
        Assert.True(quotas.HasRoom(d, 1));
    }

    [Fact]
    public async Task Settle_ActualFewerThanEstimate_GivesTokensBack()
    {
        var quotas = Quotas();
        var d = Deployments.Make("groq-free", limits: new ProviderLimits { TokensPerDay = 10_000 });
        var r = Assert.IsType<QuotaReservation>(await quotas.TryReserveAsync(d, 8_000));
        Assert.False(quotas.HasRoom(d, 3_000));

        quotas.Settle(r, 1_500);
        quotas.Settle(r, 0);

        Assert.True(quotas.HasRoom(d, 8_000));
        Assert.False(quotas.HasRoom(d, 8_600));
    }

    [Fact]
    public async Task Settle_ActualMoreThanEstimate_ChargesTheDifference()
    {
        var quotas = Quotas();
        var d = Deployments.Make("groq-free", limits: new ProviderLimits { TokensPerMinute = 6_000 });
        var r = Assert.IsType<QuotaReservation>(await quotas.TryReserveAsync(d, 1_000));

        quotas.Settle(r, 5_500);

        Assert.True(quotas.HasRoom(d, 500));
        Assert.False(quotas.HasRoom(d, 501));
    }

    [Fact]
    public async Task Settle_AfterTheMinuteEnded_LeavesTheNewWindowAlone()
    {
        var quotas = Quotas();
        var d = Deployments.Make("groq-free", limits: new ProviderLimits { TokensPerMinute = 6_000 });
        var r = Assert.IsType<QuotaReservation>(await quotas.TryReserveAsync(d, 1_000));
        _time.Advance(TimeSpan.FromSeconds(40));
        Assert.NotNull(await quotas.TryReserveAsync(d, 5_000));

        quotas.Settle(r, 0);

        Assert.False(quotas.HasRoom(d, 1_001));
    }

    [Fact]
    public async Task Check_EmptyWindowHugeEstimate_AdmitsOne()
    {
        var quotas = Quotas();
        var d = Deployments.Make("groq-free", limits: new ProviderLimits { TokensPerMinute = 6_000 });

        Assert.True(quotas.HasRoom(d, 50_000));
        Assert.NotNull(await quotas.TryReserveAsync(d, 50_000));
        Assert.False(quotas.HasRoom(d, 1));
    }

    [Fact]
    public void Observe_RemainingRequestsZero_BlocksDeploymentUntilReset()
    {
        var quotas = Quotas();
        var d = Deployments.Make("openai", "gpt-4o");
        var other = Deployments.Make("openai", "gpt-4o-mini");

        quotas.Observe(d, new Dictionary<string, string> { ["x-ratelimit-remaining-requests"] = "0", ["x-ratelimit-reset-requests"] = "20s" }.GetValueOrDefault);

        var check = quotas.Check(d, 1);
        Assert.False(check.HasRoom);
        Assert.Equal(_time.GetUtcNow().AddSeconds(20), check.RoomAt);
        Assert.True(quotas.HasRoom(other, 1));
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(quotas.HasRoom(d, 1));
    }

    [Fact]
    public async Task Observe_RemainingRequests_SpentDownByLaterReservations()
    {
        var quotas = Quotas();
        var d = Deployments.Make("openai", "gpt-4o");
        quotas.Observe(d, new Dictionary<string, string> { ["x-ratelimit-remaining-requests"] = "2", ["x-ratelimit-reset-requests"] = "1m0s" }.GetValueOrDefault);

        Assert.NotNull(await quotas.TryReserveAsync(d, 10));
        Assert.True(quotas.HasRoom(d, 10));
        Assert.NotNull(await quotas.TryReserveAsync(d, 10));

        Assert.False(quotas.HasRoom(d, 10));
    }

    [Fact]
    public void Observe_RemainingTokens_CorrectsTheGatewaysCount()
    {
        var quotas = Quotas();
        var d = Deployments.Make("anthropic", "claude-sonnet-4-5");
        var headers = new Dictionary<string, string>
        {
            ["anthropic-ratelimit-tokens-remaining"] = "3000",
            ["anthropic-ratelimit-tokens-reset"] = "2026-03-01T12:01:00Z",
        };

        quotas.Observe(d, headers.GetValueOrDefault);

        Assert.True(quotas.HasRoom(d, 3000));
        Assert.False(quotas.HasRoom(d, 3001));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(quotas.HasRoom(d, 100_000));
    }

    [Fact]
    public async Task Observe_HeadersAfterReservation_SettleDoesNotCountTwice()
    {
        var quotas = Quotas();
        var d = Deployments.Make("openai", "gpt-4o");
        var r = Assert.IsType<QuotaReservation>(await quotas.TryReserveAsync(d, 1000));
        quotas.Observe(d, new Dictionary<string, string> { ["x-ratelimit-remaining-tokens"] = "5000", ["x-ratelimit-reset-tokens"] = "30s" }.GetValueOrDefault);

        quotas.Settle(r, 4000);

        Assert.True(quotas.HasRoom(d, 5000));
    }

    [Fact]
    public void Observe_RetryAfter_BlocksUntilThen()
    {
        var quotas = Quotas();
        var d = Deployments.Make("groq-free");

        quotas.Observe(d, new Dictionary<string, string> { ["retry-after"] = "12" }.GetValueOrDefault);

        Assert.Equal(new QuotaCheck(false, _time.GetUtcNow().AddSeconds(12), "groq-free/m retry-after"), quotas.Check(d, 1));
        _time.Advance(TimeSpan.FromSeconds(12));
        Assert.True(quotas.HasRoom(d, 1));
    }

    [Fact]
    public void Observe_HttpResponseHeaders_Read()
    {
        var quotas = Quotas();
        var d = Deployments.Make("openai");
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "5");

        quotas.Observe(d, response.Headers);

        Assert.False(quotas.HasRoom(d, 1));
    }
}
