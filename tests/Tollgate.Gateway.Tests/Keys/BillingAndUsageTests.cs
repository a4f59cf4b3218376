using System.Net;
using System.Text.Json;

namespace Tollgate.Gateway.Tests.Keys;

/// <summary>Each "Hello" request (max_tokens 10) costs 9 × $0.001 + 2 × $0.002 = $0.013 on demo/priced.</summary>
public sealed class BillingAndUsageTests
{
    [Fact]
    public async Task Billing_BudgetedKey_ReportsBudgetLeftInSeedShapes()
    {
        await using var gw = await KeysGateway.StartAsync(new ManualClock(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero)));
        var key = (await gw.CreateKeyAsync(new { limit = new { retention = "week", threshold = 25 } })).GetProperty("key").GetString();
        using var chat = await gw.ChatAsync(key);
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);

        var billing = await GetJsonAsync(gw, "/v2/billing", key);
        var detail = await GetJsonAsync(gw, "/v2/billing/detail", key);
        var legacy = await GetJsonAsync(gw, "/v1/billing/balance", key);

        // $25 - $0.013.
        Assert.Equal(24.987m, billing.GetProperty("current_balance").GetDecimal());
        Assert.Equal("USD", billing.GetProperty("currency").GetString());
        Assert.Equal(24.987m, detail.GetProperty("current_balance").GetDecimal());
        Assert.Equal("USD", detail.GetProperty("autotopup_settings").GetProperty("currency").GetString());
        Assert.False(detail.GetProperty("autotopup_settings").GetProperty("is_enabled").GetBoolean());
        Assert.Equal(0.013m, detail.GetProperty("spent").GetDecimal());

        // 2026-11-24 is a Tuesday: the week runs from Monday the 23rd to Monday the 30th.
        Assert.Equal("2026-11-23T00:00:00.000Z", detail.GetProperty("period_start").GetString());
        Assert.Equal("2026-11-30T00:00:00.000Z", detail.GetProperty("resets_at").GetString());
        Assert.Equal(24.987m, legacy.GetProperty("balance").GetDecimal());
        Assert.False(legacy.GetProperty("lowBalance").GetBoolean());
        Assert.Equal("current", legacy.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Patch_RetentionChange_TakesTheNewPeriodsSpendFromTheLedger()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        await using var gw = await KeysGateway.StartAsync(clock);
        var created = await gw.CreateKeyAsync(new { limit = new { retention = "day", threshold = 1 } });
        var key = created.GetProperty("key").GetString();
        var prefix = created.GetProperty("prefix").GetString();
        using (var monday = await gw.ChatAsync(key))
        {
            Assert.Equal(HttpStatusCode.OK, monday.StatusCode);
        }

        clock.Advance(TimeSpan.FromDays(1));
        using (var tuesday = await gw.ChatAsync(key))
        {
            Assert.Equal(HttpStatusCode.OK, tuesday.StatusCode);
        }

        var daily = await GetJsonAsync(gw, "/v2/billing/detail", key);
        using (var toMonth = await gw.SendAsync(HttpMethod.Patch, $"/v1/keys/{prefix}", KeysGateway.Master, new { limit = new { retention = "month" } }))
        {
            Assert.Equal(HttpStatusCode.OK, toMonth.StatusCode);
        }

        var monthly = await GetJsonAsync(gw, "/v2/billing/detail", key);
        using (var toDay = await gw.SendAsync(HttpMethod.Patch, $"/v1/keys/{prefix}", KeysGateway.Master, new { limit = new { retention = "day" } }))
        {
            Assert.Equal(HttpStatusCode.OK, toDay.StatusCode);
        }

        var dailyAgain = await GetJsonAsync(gw, "/v2/billing/detail", key);

        // $0.013 a request: one today, two this month.
        Assert.Equal(0.013m, daily.GetProperty("spent").GetDecimal());
        Assert.Equal(0.026m, monthly.GetProperty("spent").GetDecimal());
        Assert.Equal(0.974m, monthly.GetProperty("current_balance").GetDecimal());
        Assert.Equal(0.013m, dailyAgain.GetProperty("spent").GetDecimal());
    }

    [Fact]
    public async Task Billing_KeyWithoutBudget_IsUnlimited()
    {
        await using var gw = await KeysGateway.StartAsync();
        var key = (await gw.CreateKeyAsync(new { name = "free" })).GetProperty("key").GetString();

        var billing = await GetJsonAsync(gw, "/v2/billing", key);

        Assert.Equal(JsonValueKind.Null, billing.GetProperty("current_balance").ValueKind);
        Assert.True(billing.GetProperty("unlimited").GetBoolean());
    }

    [Fact]
    public async Task Usage_VirtualKey_SeesOnlyItselfAndCannotReadAnother()
    {
        await using var gw = await KeysGateway.StartAsync();
        var a = await gw.CreateKeyAsync(new { name = "a" });
        var b = await gw.CreateKeyAsync(new { name = "b" });
        var keyA = a.GetProperty("key").GetString();
        var keyB = b.GetProperty("key").GetString();
        for (var i = 0; i < 2; i++)
        {
            using var r = await gw.ChatAsync(keyA);
        }

        using (var r = await gw.ChatAsync(keyB))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        var own = await GetJsonAsync(gw, "/v1/usage?group_by=key", keyA);
        using var other = await gw.SendAsync(HttpMethod.Get, $"/v1/usage?key={b.GetProperty("prefix").GetString()}", keyA);
        var all = await GetJsonAsync(gw, "/v1/usage?group_by=key", KeysGateway.Master);
        var byModel = await GetJsonAsync(gw, "/v1/usage?group_by=model", KeysGateway.Master);

        var row = Assert.Single(own.GetProperty("data").EnumerateArray());
        Assert.Equal(a.GetProperty("prefix").GetString(), row.GetProperty("key").GetString());
        Assert.Equal(2, row.GetProperty("requests").GetInt64());

        // 2 × $0.013; input 2 × 9, output 2 × 2.
        Assert.Equal(0.026m, row.GetProperty("cost").GetDecimal());
        Assert.Equal(18, row.GetProperty("input_tokens").GetInt64());
        Assert.Equal(4, row.GetProperty("output_tokens").GetInt64());
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(2, all.GetProperty("data").GetArrayLength());
        Assert.Equal(0.039m, all.GetProperty("total").GetProperty("cost").GetDecimal());
        var model = Assert.Single(byModel.GetProperty("data").EnumerateArray());
        Assert.Equal("demo/priced", model.GetProperty("model").GetString());
        Assert.Equal(3, model.GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Keys_MonthlyUsage_SumsThisMonthsLedger()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { name = "m" });
        var key = created.GetProperty("key").GetString();
        for (var i = 0; i < 3; i++)
        {
            using var r = await gw.ChatAsync(key);
        }

        var own = await GetJsonAsync(gw, "/v1/key", key);

        // 3 × $0.013.
        Assert.Equal(0.039m, own.GetProperty("data").GetProperty("monthly_usage").GetDecimal());
    }

    [Fact]
    public async Task Usage_BadGroupBy_Returns400()
    {
        await using var gw = await KeysGateway.StartAsync();

        using var response = await gw.SendAsync(HttpMethod.Get, "/v1/usage?group_by=colour", KeysGateway.Master);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<JsonElement> GetJsonAsync(KeysGateway gw, string path, string? key)
    {
        using var response = await gw.SendAsync(HttpMethod.Get, path, key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
