using System.Net;
using System.Text.Json;
using Tollgate.Gateway.Tests.Keys;

namespace Tollgate.Gateway.Tests.Admin;

/// <summary>
/// The dashboard's JSON endpoints on a real gateway: each "Hello" chat on demo/priced costs $0.013 (9 input tokens at
/// $0.001, 2 output at $0.002), so every sum is known.
/// </summary>
public sealed class AdminEndpointsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 15, 0, TimeSpan.Zero);

    [Fact]
    public async Task Series_HourBucketsByKey_MatchTheRequestsMade()
    {
        var clock = new ManualClock(Start);
        await using var gw = await KeysGateway.StartAsync(clock);
        var team = await gw.CreateKeyAsync(new { name = "team" });
        var key = team.GetProperty("key").GetString();
        await ChatOkAsync(gw, KeysGateway.Master);
        await ChatOkAsync(gw, key);
        await ChatOkAsync(gw, key);
        clock.Advance(TimeSpan.FromHours(1));
        await ChatOkAsync(gw, key);

        var series = await GetJsonAsync(gw, "/v1/usage/series?from=2026-11-24T10:00:00Z&to=2026-11-24T12:00:00Z&group_by=key", KeysGateway.Master);

        Assert.Equal("hour", series.GetProperty("bucket").GetString());
        var rows = series.GetProperty("data").EnumerateArray()
            .Select(r => (r.GetProperty("start").GetString(), r.GetProperty("key").GetString(), r.GetProperty("requests").GetInt32(), r.GetProperty("cost").GetDecimal()))
            .ToArray();
        var prefix = team.GetProperty("prefix").GetString();
        Assert.Equal(
            [("2026-11-24T10:00:00Z", null, 1, 0.013m), ("2026-11-24T10:00:00Z", prefix, 2, 0.026m), ("2026-11-24T11:00:00Z", prefix, 1, 0.013m)],
            rows);

        // A virtual key sees its own series only, and another key's is refused.
        var own = await GetJsonAsync(gw, "/v1/usage/series?from=2026-11-24T10:00:00Z&to=2026-11-24T12:00:00Z", key);
        Assert.Equal(prefix, own.GetProperty("key").GetString());
        Assert.Equal([2, 1], own.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("requests").GetInt32()));
        using var other = await gw.SendAsync(HttpMethod.Get, "/v1/usage/series?key=tg-someone", key);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Theory]
    [InlineData("bucket=week", "bucket")]
    [InlineData("group_by=day", "group_by")]
    [InlineData("from=2026-01-01&to=2026-03-01", "from")]
    [InlineData("from=2026-03-01&to=2026-01-01&bucket=day", "from")]
    [InlineData("from=yesterday", "from")]
    public async Task Series_BadParameters_Are400WithTheParam(string query, string param)
    {
        await using var gw = await KeysGateway.StartAsync(new ManualClock(Start));
        using var response = await gw.SendAsync(HttpMethod.Get, "/v1/usage/series?" + query, KeysGateway.Master);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Requests_FiltersPagesAndDetail_VirtualKeySeesOnlyItsOwn()
    {
        await using var gw = await KeysGateway.StartAsync(new ManualClock(Start));
        var team = await gw.CreateKeyAsync(new { name = "team" });
        var key = team.GetProperty("key").GetString();
        var prefix = team.GetProperty("prefix").GetString();
        var masterId = await ChatOkAsync(gw, KeysGateway.Master);
        var keyIds = new[] { await ChatOkAsync(gw, key), await ChatOkAsync(gw, key), await ChatOkAsync(gw, key) };
        using (var unknown = await gw.ChatAsync(KeysGateway.Master, model: "demo/no-such-model-priced"))
        {
            Assert.True(unknown.IsSuccessStatusCode, "the demo provider answers any model");
        }

        using (var refused = await gw.ChatAsync("tg-not-a-key"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var errors = await GetJsonAsync(gw, "/v1/requests?status=error", KeysGateway.Master);
        Assert.Equal([401], errors.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("status").GetInt32()));
        var byModel = await GetJsonAsync(gw, "/v1/requests?model=demo/priced&provider=demo", KeysGateway.Master);
        Assert.Equal(4, byModel.GetProperty("data").GetArrayLength());

        // Pages of 2 of the key's requests, newest first, each once.
        var seen = new List<string>();
        var cursor = "";
        do
        {
            var page = await GetJsonAsync(gw, $"/v1/requests?key={prefix}&limit=2{(cursor.Length > 0 ? "&cursor=" + cursor : "")}", KeysGateway.Master);
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString() ?? "";
            Assert.Equal(cursor.Length > 0, page.GetProperty("has_more").GetBoolean());
        }
        while (cursor.Length > 0);
        Assert.Equal(keyIds.Reverse(), seen);

        // The virtual key's list is its own whatever it asks for; another key's entry is not found.
        var own = await GetJsonAsync(gw, "/v1/requests", key);
        Assert.Equal(keyIds.Reverse(), own.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        using (var forbidden = await gw.SendAsync(HttpMethod.Get, "/v1/requests?key=tg-other", key))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using (var hidden = await gw.SendAsync(HttpMethod.Get, "/v1/requests/" + masterId, key))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }

        var detail = await GetJsonAsync(gw, "/v1/requests/" + keyIds[0], key);
        Assert.Equal(prefix, detail.GetProperty("key").GetString());
        Assert.Equal(0.013m, detail.GetProperty("cost").GetDecimal());
        var parts = detail.GetProperty("cost_breakdown");
        Assert.Equal((0.009m, 0m, 0m, 0.004m), (parts.GetProperty("input").GetDecimal(), parts.GetProperty("cache_read").GetDecimal(), parts.GetProperty("cache_write").GetDecimal(), parts.GetProperty("output").GetDecimal()));
        Assert.Equal(1000m, detail.GetProperty("pricing").GetProperty("input").GetDecimal());

        using var missing = await gw.SendAsync(HttpMethod.Get, "/v1/requests/req_nope", KeysGateway.Master);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("status=6xx", "status")]
    [InlineData("status=20", "status")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("limit=0", "limit")]
    [InlineData("to=soon", "to")]
    public async Task Requests_BadFilters_Are400WithTheParam(string query, string param)
    {
        await using var gw = await KeysGateway.StartAsync(new ManualClock(Start));
        using var response = await gw.SendAsync(HttpMethod.Get, "/v1/requests?" + query, KeysGateway.Master);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Latency_PerProvider_CountsFailuresAndGivesOrderedPercentiles()
    {
        await using var gw = await KeysGateway.StartAsync(new ManualClock(Start));
        for (var i = 0; i < 4; i++)
        {
            await ChatOkAsync(gw, KeysGateway.Master);
        }

        using (var refused = await gw.ChatAsync("tg-not-a-key"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var report = await GetJsonAsync(gw, "/v1/usage/latency?from=2026-11-24", KeysGateway.Master);
        var rows = report.GetProperty("data").EnumerateArray().ToArray();
        var demo = Assert.Single(rows, r => r.GetProperty("provider").GetString() == "demo");
        Assert.Equal((4, 0, 0d), (demo.GetProperty("requests").GetInt32(), demo.GetProperty("failed_requests").GetInt32(), demo.GetProperty("error_rate").GetDouble()));
        var p = demo.GetProperty("latency_ms");
        Assert.True(p.GetProperty("p50").GetDouble() <= p.GetProperty("p90").GetDouble() && p.GetProperty("p90").GetDouble() <= p.GetProperty("p99").GetDouble());
        var unrouted = Assert.Single(rows, r => r.GetProperty("provider").ValueKind == JsonValueKind.Null);
        Assert.Equal(1d, unrouted.GetProperty("error_rate").GetDouble());
        Assert.Equal(JsonValueKind.Null, unrouted.GetProperty("latency_ms").GetProperty("p50").ValueKind);
    }

    [Fact]
    public async Task Budgets_SpendThisPeriod_ForEveryBudgetedKeyOrTheCallersOwn()
    {
        await using var gw = await KeysGateway.StartAsync(new ManualClock(Start));
        var weekly = await gw.CreateKeyAsync(new { name = "weekly", limit = new { retention = "week", threshold = 25 } });
        var daily = await gw.CreateKeyAsync(new { limit = new { retention = "day", threshold = 1 } });
        var unlimited = await gw.CreateKeyAsync(new { name = "unlimited" });
        await ChatOkAsync(gw, weekly.GetProperty("key").GetString());

        // Both keys were made in the same instant of the test clock, so only the set is certain, not the order.
        var all = (await GetJsonAsync(gw, "/v1/budgets", KeysGateway.Master)).GetProperty("data").EnumerateArray()
            .OrderBy(b => b.GetProperty("retention").GetString() == "week" ? 0 : 1).ToArray();
        Assert.Equal([weekly.GetProperty("prefix").GetString(), daily.GetProperty("prefix").GetString()], all.Select(b => b.GetProperty("key").GetString()));
        Assert.Equal((0.013m, 24.987m, 25m), (all[0].GetProperty("spent").GetDecimal(), all[0].GetProperty("remaining").GetDecimal(), all[0].GetProperty("threshold").GetDecimal()));
        Assert.Equal("2026-11-23T00:00:00.000Z", all[0].GetProperty("period_start").GetString());
        Assert.Equal("2026-11-25T00:00:00.000Z", all[1].GetProperty("resets_at").GetString());

        var own = (await GetJsonAsync(gw, "/v1/budgets", daily.GetProperty("key").GetString())).GetProperty("data");
        Assert.Equal([daily.GetProperty("prefix").GetString()], own.EnumerateArray().Select(b => b.GetProperty("key").GetString()));
        Assert.Equal(0, (await GetJsonAsync(gw, "/v1/budgets", unlimited.GetProperty("key").GetString())).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Cost_TwoModelsSideBySide_FromTheCatalogInDecimal()
    {
        await using var gw = await KeysGateway.StartAsync(new ManualClock(Start));
        var report = await GetJsonAsync(gw, "/v1/cost?model=demo/priced&model=openai/gpt-4o&model=nope&input=1000&cached=200&output=500", KeysGateway.Master);

        var rows = report.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(3, rows.Length);

        // demo/priced: 1000 × $0.001 (no cached price: cache reads at the input rate) + 500 × $0.002.
        Assert.Equal(2m, rows[0].GetProperty("cost").GetDecimal());
        Assert.Equal(0.8m, rows[0].GetProperty("breakdown").GetProperty("input").GetDecimal());

        // openai/gpt-4o at $2.50 / $1.25 cached / $10 per 1M: 800 × 2.5e-6 + 200 × 1.25e-6 + 500 × 1e-5.
        Assert.Equal(0.00725m, rows[1].GetProperty("cost").GetDecimal());
        Assert.Contains("nope", rows[2].GetProperty("error").GetString(), StringComparison.Ordinal);

        using var bad = await gw.SendAsync(HttpMethod.Get, "/v1/cost?model=demo/priced&input=10&cached=20&output=1", KeysGateway.Master);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var none = await gw.SendAsync(HttpMethod.Get, "/v1/cost?input=10&output=1", KeysGateway.Master);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        using var anonymous = await gw.SendAsync(HttpMethod.Get, "/v1/cost?model=demo/priced&input=10&output=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private static async Task<string> ChatOkAsync(KeysGateway gw, string? key)
    {
        using var response = await gw.ChatAsync(key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("x-tollgate-request-id").Single();
    }

    private static async Task<JsonElement> GetJsonAsync(KeysGateway gw, string path, string? key)
    {
        using var response = await gw.SendAsync(HttpMethod.Get, path, key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
