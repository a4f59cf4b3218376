using System.Net;

namespace Tollgate.Gateway.Tests.Keys;

public sealed class ProviderKeyTests
{
    [Fact]
    public async Task EveryKeyAndBillingResponse_NeverCarriesTheProviderKey()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 24, 12, 0, 30, TimeSpan.Zero));
        await using var gw = await KeysGateway.StartAsync(clock, publicMode: new Tollgate.Gateway.Configuration.PublicModeOptions { Enabled = true, Models = ["demo/*"], RequestsPerMinute = 1, UsdPerDay = null, TokensPerDay = null });
        var created = await gw.CreateKeyAsync(new { rpm = 1, limit = new { retention = "day", threshold = 0.05 }, allowed_models = new[] { "demo/*" } });
        var key = created.GetProperty("key").GetString();
        var prefix = created.GetProperty("prefix").GetString();
        var texts = new List<string>();

        async Task Collect(Task<HttpResponseMessage> call)
        {
            using var response = await call;
            texts.Add(response.ToString() + await response.Content.ReadAsStringAsync());
        }

        await Collect(gw.ChatAsync(key));
        await Collect(gw.ChatAsync(key));
        await Collect(gw.ChatAsync(key, model: "other/model"));
        await Collect(gw.ChatAsync(key, stream: true));
        await Collect(gw.ChatAsync(null));
        await Collect(gw.ChatAsync(null));
        await Collect(gw.ChatAsync(KeysGateway.Master, content: "fail\n#emulator status=401"));
        foreach (var path in new[] { "/v1/key", "/v2/billing", "/v2/billing/detail", "/v1/billing/balance", "/v1/usage?group_by=provider" })
        {
            await Collect(gw.SendAsync(HttpMethod.Get, path, key));
        }

        foreach (var path in new[] { "/v1/keys", "/v1/usage?group_by=key", "/v1/requests", $"/v1/keys/{prefix}" })
        {
            await Collect(gw.SendAsync(path.EndsWith(prefix!, StringComparison.Ordinal) ? HttpMethod.Delete : HttpMethod.Get, path, KeysGateway.Master));
        }

        Assert.Equal(16, texts.Count);
        Assert.All(texts, t => Assert.DoesNotContain(KeysGateway.ProviderKey, t, StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("Echo: Hello", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("429", StringComparison.Ordinal));
    }
}
