using System.Net;
using System.Text.Json;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.Keys;

public sealed class PublicModeTests
{
    private const string AllowedOrigin = "http://localhost:5173";
    private static readonly DateTimeOffset s_midMinute = new(2026, 11, 24, 12, 0, 30, TimeSpan.Zero);

    private static PublicModeOptions Open(params string[] trustedProxies) => new()
    {
        Enabled = true,
        Models = ["demo/priced"],
        RequestsPerMinute = 3,
        TokensPerDay = null,
        UsdPerDay = null,
        TrustedProxies = trustedProxies,
        CorsOrigins = [AllowedOrigin],
    };

    [Fact]
    public async Task Chat_NoKeyAllowedModel_Succeeds_OtherModelIs403()
    {
        await using var gw = await KeysGateway.StartAsync(new ManualClock(s_midMinute), publicMode: Open());

        using var allowed = await gw.ChatAsync(null);
        using var other = await gw.ChatAsync(null, model: "demo/other");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        await KeyAuthTests.AssertError(other, HttpStatusCode.Forbidden, "not open to requests without an API key");
    }

    [Fact]
    public async Task ManagementAndUsage_NoKeyInPublicMode_Still401()
    {
        await using var gw = await KeysGateway.StartAsync(publicMode: Open());

        using var keys = await gw.SendAsync(HttpMethod.Get, "/v1/keys", null);
        using var usage = await gw.SendAsync(HttpMethod.Get, "/v1/usage", null);
        using var billing = await gw.SendAsync(HttpMethod.Get, "/v2/billing", null);

        Assert.Equal(HttpStatusCode.Unauthorized, keys.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, usage.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, billing.StatusCode);
    }

    [Fact]
    public async Task Chat_ThroughTrustedProxy_LimitsEachForwardedClientApart()
    {
        await using var gw = await KeysGateway.StartAsync(new ManualClock(s_midMinute), publicMode: Open("127.0.0.1"));

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            first.Add(await StatusAsync(gw, "203.0.113.1"));
        }

        // A client cannot dodge the limit by putting a made-up address in front: the proxy appends the real one last.
        var spoofed = await StatusAsync(gw, "198.51.100.7, 203.0.113.1");
        var second = await StatusAsync(gw, "203.0.113.2");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], first);
        Assert.Equal(HttpStatusCode.TooManyRequests, spoofed);
        Assert.Equal(HttpStatusCode.OK, second);
    }

    [Fact]
    public async Task Chat_RotatingAddressesInOneIpv6Slash64_ShareOneLimit()
    {
        await using var gw = await KeysGateway.StartAsync(new ManualClock(s_midMinute), publicMode: Open("127.0.0.1"));

        // Open() allows 3 requests a minute per client: a fourth address of the same /64 is the same client.
        var rotating = new List<HttpStatusCode>();
        for (var i = 1; i <= 4; i++)
        {
            rotating.Add(await StatusAsync(gw, $"2001:db8:1:2::{i:x}"));
        }

        var otherNetwork = await StatusAsync(gw, "2001:db8:1:3::1");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], rotating);
        Assert.Equal(HttpStatusCode.OK, otherNetwork);
    }

    [Fact]
    public async Task Chat_ForwardedForFromUntrustedPeer_IsIgnored()
    {
        await using var gw = await KeysGateway.StartAsync(new ManualClock(s_midMinute), publicMode: Open());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add(await StatusAsync(gw, $"203.0.113.{i + 1}"));
        }

        // Every request counts against 127.0.0.1, whatever the header says.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Chat_PublicUsdPerDay_RefusesPastTheDailyBudget()
    {
        // "Hello" with max_tokens 10 reserves $0.043 and costs $0.013 (see BudgetConcurrencyTests): $0.05 admits one, not two.
        await using var gw = await KeysGateway.StartAsync(new ManualClock(s_midMinute), publicMode: Open() with { UsdPerDay = 0.05m, RequestsPerMinute = 100 });

        using var first = await gw.ChatAsync(null);
        using var second = await gw.ChatAsync(null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await KeyAuthTests.AssertError(second, HttpStatusCode.TooManyRequests, "The public per-client budget of $0.05 per UTC day");
    }

    [Fact]
    public async Task Chat_PublicTokensPerDay_RefusesPastTheDailyTokens()
    {
        // The first request reserves its worst case, 6 prompt tokens + 1 + 16 margin + max_tokens 10 = 33, then settles
        // to the reported 9 + 2 = 11; the second needs 33 more: 44 > 40.
        await using var gw = await KeysGateway.StartAsync(new ManualClock(s_midMinute), publicMode: Open() with { TokensPerDay = 40, RequestsPerMinute = 100 });

        using var first = await gw.ChatAsync(null);
        using var second = await gw.ChatAsync(null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("7", first.Headers.GetValues("x-ratelimit-remaining-tokens").Single());
        await KeyAuthTests.AssertError(second, HttpStatusCode.TooManyRequests, "40 tokens per UTC day");
    }

    [Fact]
    public async Task Preflight_AllowedOrigin_Answers204WithoutCredentials()
    {
        await using var gw = await KeysGateway.StartAsync(publicMode: Open());

        using var response = await gw.SendAsync(HttpMethod.Options, "/v1/chat/completions", null, null, r =>
        {
            r.Headers.Add("Origin", AllowedOrigin);
            r.Headers.Add("Access-Control-Request-Method", "POST");
            r.Headers.Add("Access-Control-Request-Headers", "content-type, authorization");
        });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(AllowedOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Equal("content-type, authorization", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Preflight_OtherOrigin_Refused()
    {
        await using var gw = await KeysGateway.StartAsync(publicMode: Open());

        using var response = await gw.SendAsync(HttpMethod.Options, "/v1/chat/completions", null, null, r =>
        {
            r.Headers.Add("Origin", "http://evil.example");
            r.Headers.Add("Access-Control-Request-Method", "POST");
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Chat_FromAllowedOrigin_CarriesCorsHeaders_OtherOriginDoesNot()
    {
        await using var gw = await KeysGateway.StartAsync(new ManualClock(s_midMinute), publicMode: Open());

        using var allowed = await gw.SendAsync(HttpMethod.Post, "/v1/chat/completions", null, Body(), r => r.Headers.Add("Origin", AllowedOrigin));
        using var other = await gw.SendAsync(HttpMethod.Post, "/v1/chat/completions", null, Body(), r => r.Headers.Add("Origin", "http://evil.example"));

        Assert.Equal(AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("Origin", allowed.Headers.GetValues("Vary").Single());
        Assert.Contains("x-ratelimit-remaining-requests", allowed.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_WildcardOrigin_AnswersStarNeverCredentials()
    {
        await using var gw = await KeysGateway.StartAsync(publicMode: Open() with { CorsOrigins = ["*"] });

        using var response = await gw.SendAsync(HttpMethod.Options, "/v1/chat/completions", null, null, r =>
        {
            r.Headers.Add("Origin", "http://anywhere.example");
            r.Headers.Add("Access-Control-Request-Method", "POST");
        });

        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public void Load_PublicSection_ParsesEveryField()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, """
            {"public": {"enabled": true, "models": ["demo/*"], "rpm": 20, "tokens_per_day": null, "usd_per_day": 0.25, "ipv6_prefix": 56,
                        "trusted_proxies": ["10.0.0.0/8", "127.0.0.1"], "cors_origins": ["https://app.example.com"]}}
            """);

        var options = GatewayOptionsLoader.Load(_ => null, path);
        File.Delete(path);

        Assert.True(options.Public.Enabled);
        Assert.Equal(["demo/*"], options.Public.Models);
        Assert.Equal(20, options.Public.RequestsPerMinute);
        Assert.Null(options.Public.TokensPerDay);
        Assert.Equal(56, options.Public.Ipv6PrefixLength);
        Assert.Equal(0.25m, options.Public.UsdPerDay);
        Assert.Equal(["10.0.0.0/8", "127.0.0.1"], options.Public.TrustedProxies);
        Assert.Equal(["https://app.example.com"], options.Public.CorsOrigins);
    }

    [Fact]
    public void Load_NoPublicSection_PublicModeOff()
    {
        var options = GatewayOptionsLoader.Load(_ => null, null);

        Assert.False(options.Public.Enabled);
        Assert.Empty(options.Public.CorsOrigins);
    }

    [Fact]
    public void Load_BadTrustedProxy_Throws()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, """{"public": {"trusted_proxies": ["not-an-ip"]}}""");

        var ex = Assert.Throws<InvalidOperationException>(() => GatewayOptionsLoader.Load(_ => null, path));
        File.Delete(path);

        Assert.Contains("not-an-ip", ex.Message, StringComparison.Ordinal);
    }

    private static object Body() => new { model = "demo/priced", max_tokens = 10, messages = new[] { new { role = "user", content = "Hello" } } };

    private static async Task<HttpStatusCode> StatusAsync(KeysGateway gw, string forwardedFor)
    {
        using var response = await gw.SendAsync(HttpMethod.Post, "/v1/chat/completions", null, Body(), r => r.Headers.Add("X-Forwarded-For", forwardedFor));
        return response.StatusCode;
    }
}
