using System.Net;
using System.Text.Json;

namespace Tollgate.Gateway.Tests.Keys;

public sealed class KeyAuthTests
{
    [Fact]
    public async Task Chat_ValidVirtualKey_Succeeds_AndLedgerCarriesItsPrefix()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { name = "ok" });

        using var chat = await gw.ChatAsync(created.GetProperty("key").GetString());
        using var requests = await gw.SendAsync(HttpMethod.Get, "/v1/requests?limit=1", KeysGateway.Master);
        var entry = JsonDocument.Parse(await requests.Content.ReadAsStringAsync()).RootElement.GetProperty("data")[0];

        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Equal(created.GetProperty("prefix").GetString(), entry.GetProperty("key").GetString());
    }

    [Fact]
    public async Task Chat_UnknownKey_Returns401()
    {
        await using var gw = await KeysGateway.StartAsync();

        using var chat = await gw.ChatAsync("tg-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        await AssertError(chat, HttpStatusCode.Unauthorized, "Invalid API key");
    }

    [Fact]
    public async Task Chat_DisabledKey_Returns401SayingDisabled()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { name = "off" });
        using var _ = await gw.SendAsync(HttpMethod.Patch, $"/v1/keys/{created.GetProperty("prefix").GetString()}", KeysGateway.Master, new { disabled = true });

        using var chat = await gw.ChatAsync(created.GetProperty("key").GetString());

        await AssertError(chat, HttpStatusCode.Unauthorized, "is disabled");
    }

    [Fact]
    public async Task Chat_ExpiredKey_Returns401SayingExpired()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 24, 12, 0, 30, TimeSpan.Zero));
        await using var gw = await KeysGateway.StartAsync(clock);
        var created = await gw.CreateKeyAsync(new { name = "short", expires_at = "2026-11-24T13:00:00Z" });
        var key = created.GetProperty("key").GetString();
        using var before = await gw.ChatAsync(key);
        clock.Advance(TimeSpan.FromHours(1));

        using var after = await gw.ChatAsync(key);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await AssertError(after, HttpStatusCode.Unauthorized, "expired at 2026-11-24T13:00:00Z");
    }

    [Fact]
    public async Task Chat_DeletedKey_Returns401SayingDeleted()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { name = "gone" });
        using var _ = await gw.SendAsync(HttpMethod.Delete, $"/v1/keys/{created.GetProperty("prefix").GetString()}", KeysGateway.Master);

        using var chat = await gw.ChatAsync(created.GetProperty("key").GetString());

        await AssertError(chat, HttpStatusCode.Unauthorized, "was deleted");
    }

    [Fact]
    public async Task Chat_ModelOutsideAllowedModels_Returns403NamingTheList()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { allowed_models = new[] { "groq/*" } });
        var key = created.GetProperty("key").GetString();

        using var chat = await gw.ChatAsync(key);

        await AssertError(chat, HttpStatusCode.Forbidden, "not in this key's allowed_models (groq/*)");
    }

    [Fact]
    public async Task Chat_ModelMatchingGlob_Succeeds()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { allowed_models = new[] { "groq/*", "demo/pri*" } });

        using var chat = await gw.ChatAsync(created.GetProperty("key").GetString());

        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
    }

    [Fact]
    public async Task Embeddings_KeyScopedToChat_Returns403NamingTheScope()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { scopes = new[] { "model:chat" } });
        var key = created.GetProperty("key").GetString();

        using var chat = await gw.ChatAsync(key);
        using var embed = await gw.SendAsync(HttpMethod.Post, "/v1/embeddings", key, new { model = "demo/embed", input = "hi" });

        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        await AssertError(embed, HttpStatusCode.Forbidden, "do not include 'model:embedding'");
    }

    [Fact]
    public async Task CountTokens_KeyScopedToChat_Returns403NamingTheMessagesScope()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { scopes = new[] { "model:chat" } });

        using var count = await gw.SendAsync(HttpMethod.Post, "/v1/messages/count_tokens", created.GetProperty("key").GetString(), new { model = KeysGateway.Model, messages = new[] { new { role = "user", content = "hi" } } });

        await AssertError(count, HttpStatusCode.Forbidden, "do not include 'model:messages'");
    }

    [Fact]
    public async Task CountTokens_ModelOutsideAllowedModels_Returns403()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { allowed_models = new[] { "groq/*" } });

        using var count = await gw.SendAsync(HttpMethod.Post, "/v1/messages/count_tokens", created.GetProperty("key").GetString(), new { model = KeysGateway.Model, messages = new[] { new { role = "user", content = "hi" } } });

        await AssertError(count, HttpStatusCode.Forbidden, "not in this key's allowed_models (groq/*)");
    }

    [Fact]
    public async Task Messages_BudgetedKeyWithoutMaxTokens_Returns400NotABudgetRefusal()
    {
        await using var gw = await KeysGateway.StartAsync();
        // The model's max output (1000 tokens at $2000 per 1M = $2) is past this budget: a worst case priced
        // without max_tokens would be refused with 429, though the request is invalid anyway.
        var created = await gw.CreateKeyAsync(new { limit = new { retention = "day", threshold = 1 } });

        using var messages = await gw.SendAsync(HttpMethod.Post, "/v1/messages", created.GetProperty("key").GetString(), new { model = KeysGateway.Model, messages = new[] { new { role = "user", content = "hi" } } });

        await AssertError(messages, HttpStatusCode.BadRequest, "max_tokens: Field required");
    }

    [Fact]
    public async Task Chat_BudgetedKeyOnUnpricedModel_Returns400WithTheFixNot403()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { limit = new { retention = "month", threshold = 5 } });

        using var chat = await gw.ChatAsync(created.GetProperty("key").GetString(), model: "demo/not-in-catalog");

        // Not a 403: the key is valid (Claude Code shows a 403 as "Failed to authenticate").
        await AssertError(chat, HttpStatusCode.BadRequest, "Give it prices in tollgate.json");
        var error = JsonDocument.Parse(await chat.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("model_unpriced", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Messages_BudgetedKeyOnUnpricedModel_Returns400InAnthropicsShape()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { limit = new { retention = "month", threshold = 5 } });

        using var messages = await gw.SendAsync(HttpMethod.Post, "/v1/messages?beta=true", created.GetProperty("key").GetString(), new { model = "demo/not-in-catalog", max_tokens = 10, messages = new[] { new { role = "user", content = "hi" } } });

        var text = await messages.Content.ReadAsStringAsync();
        Assert.True(messages.StatusCode == HttpStatusCode.BadRequest, text);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("Give it prices in tollgate.json", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_BudgetRefused_429TellsClientsNotToRetry()
    {
        await using var gw = await KeysGateway.StartAsync();
        // "Hello" with max_tokens 10 may cost about $0.04 on demo/priced: a budget of $0.001 covers none of it.
        var key = (await gw.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.001 } })).GetProperty("key").GetString();

        using var chat = await gw.ChatAsync(key);
        using var messages = await gw.SendAsync(HttpMethod.Post, "/v1/messages", key, new { model = KeysGateway.Model, max_tokens = 10, messages = new[] { new { role = "user", content = "Hello" } } });

        await AssertError(chat, HttpStatusCode.TooManyRequests, "budget of $0.001");
        Assert.Equal("false", chat.Headers.GetValues("x-should-retry").Single());
        Assert.False(chat.Headers.Contains("Retry-After"));
        var body = JsonDocument.Parse(await messages.Content.ReadAsStringAsync()).RootElement;
        // Anthropic's API answers a spent budget as its own does running out of credit: 402 billing_error.
        Assert.Equal(HttpStatusCode.PaymentRequired, messages.StatusCode);
        Assert.Equal("false", messages.Headers.GetValues("x-should-retry").Single());
        Assert.Equal("billing_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("budget of $0.001 per UTC month", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_RpmRefused_429WithRetryAfterAndRetriesAllowed()
    {
        await using var gw = await KeysGateway.StartAsync();
        var key = (await gw.CreateKeyAsync(new { rpm = 1 })).GetProperty("key").GetString();

        using var first = await gw.ChatAsync(key);
        using var second = await gw.ChatAsync(key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertError(second, HttpStatusCode.TooManyRequests, "requests per minute");
        var retryAfter = int.Parse(second.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.False(second.Headers.Contains("x-should-retry"));
    }

    [Fact]
    public async Task Chat_NoKeyAndPublicModeOff_Returns401()
    {
        await using var gw = await KeysGateway.StartAsync();

        using var chat = await gw.ChatAsync(null);

        await AssertError(chat, HttpStatusCode.Unauthorized, "Missing API key");
    }

    internal static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string messagePart)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        var message = JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("message").GetString();
        Assert.Contains(messagePart, message, StringComparison.Ordinal);
    }
}
