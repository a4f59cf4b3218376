using System.Net;
using System.Text.Json;
using Tollgate.Gateway.Settlement;

namespace Tollgate.Gateway.Tests.Keys;

public sealed class RateLimitTests
{
    // Half way through a UTC minute, so a burst cannot straddle a window boundary.
    private static readonly DateTimeOffset s_midMinute = new(2026, 11, 24, 12, 0, 30, TimeSpan.Zero);

    [Fact]
    public async Task Chat_100ConcurrentAt60Rpm_ExactlySixtyPass()
    {
        var clock = new ManualClock(s_midMinute);
        await using var gw = await KeysGateway.StartAsync(clock, latency: TimeSpan.FromMilliseconds(100));
        var key = (await gw.CreateKeyAsync(new { rpm = 60 })).GetProperty("key").GetString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => gw.ChatAsync(key)));

        Assert.Equal(60, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(40, refused.Count);
        foreach (var r in refused)
        {
            // 30 s left in the minute.
            Assert.Equal("30", r.Headers.GetValues("Retry-After").Single());
            Assert.Equal("60", r.Headers.GetValues("x-ratelimit-limit-requests").Single());
            Assert.Equal("0", r.Headers.GetValues("x-ratelimit-remaining-requests").Single());
            Assert.Equal("30s", r.Headers.GetValues("x-ratelimit-reset-requests").Single());
            var error = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
            Assert.Contains("60 requests per minute", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var remaining = responses.Where(r => r.StatusCode == HttpStatusCode.OK)
            .Select(r => int.Parse(r.Headers.GetValues("x-ratelimit-remaining-requests").Single(), System.Globalization.CultureInfo.InvariantCulture))
            .Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 60), remaining);

        clock.Advance(TimeSpan.FromSeconds(30));
        using var nextMinute = await gw.ChatAsync(key);
        Assert.Equal(HttpStatusCode.OK, nextMinute.StatusCode);
        Assert.Equal("59", nextMinute.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        foreach (var r in responses)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task Chat_FarFromTheLimit_ReservesTheByteBoundWithoutTheTokenizer_NearItTheTokenizersCount()
    {
        var clock = new ManualClock(s_midMinute);
        await using var gw = await KeysGateway.StartAsync(clock, latency: TimeSpan.FromSeconds(2));
        var content = string.Concat(Enumerable.Repeat("word ", 600)).TrimEnd();
        var messages = JsonSerializerBytes(content);
        var bytes = Tollgate.Gateway.Admission.AdmissionControl.WithMargin(TokenEstimator.BoundPrompt(messages, tokenize: false).Tokens) + 10;
        var tokenized = Tollgate.Gateway.Admission.AdmissionControl.WithMargin(TokenEstimator.BoundPrompt(messages).Tokens) + 10;
        Assert.Equal(4 + 4 + 2999 + 751 + 16 + 10, bytes);
        Assert.True(tokenized < bytes / 4, $"tokenized {tokenized}, bytes {bytes}");

        // Far from the limit the free byte bound is what the window holds while the request is in flight.
        var roomy = (await gw.CreateKeyAsync(new { tpm = 100_000 })).GetProperty("key").GetString();
        using var far = await gw.ChatAsync(roomy, content: content, maxTokens: 10);
        Assert.Equal(HttpStatusCode.OK, far.StatusCode);
        Assert.Equal((100_000 - bytes).ToString(System.Globalization.CultureInfo.InvariantCulture), far.Headers.GetValues("x-ratelimit-remaining-tokens").Single());

        // Where the byte bound does not fit, the tokenizer's count does, and is what is held.
        var tight = (await gw.CreateKeyAsync(new { tpm = bytes - 1 })).GetProperty("key").GetString();
        using var near = await gw.ChatAsync(tight, content: content, maxTokens: 10);
        Assert.Equal(HttpStatusCode.OK, near.StatusCode);
        Assert.Equal((bytes - 1 - tokenized).ToString(System.Globalization.CultureInfo.InvariantCulture), near.Headers.GetValues("x-ratelimit-remaining-tokens").Single());
    }

    [Fact]
    public async Task Chat_LargePromptsUnderTpm_ReservesTheWorstCaseAtAdmissionAndSettlesToReportedTotal()
    {
        var clock = new ManualClock(s_midMinute);
        await using var gw = await KeysGateway.StartAsync(clock);
        var key = (await gw.CreateKeyAsync(new { tpm = 2000 })).GetProperty("key").GetString();
        var content = string.Concat(Enumerable.Repeat("word ", 600)).TrimEnd();

        // Reserved: the prompt with its margin (a quarter and 16 tokens) plus max_tokens 10.
        var counted = Tollgate.Gateway.Admission.AdmissionControl.WithMargin(TokenEstimator.CountPrompt(JsonSerializerBytes(content))) + 10;

        // The emulator reports prompt 3 + 4 + ceil(2999 / 4) = 757 tokens and 10 completion tokens (max_tokens).
        const long reported = 757 + 10;

        using var first = await gw.ChatAsync(key, content: content);
        using var second = await gw.ChatAsync(key, content: content);
        using var third = await gw.ChatAsync(key, content: content);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((2000 - counted).ToString(System.Globalization.CultureInfo.InvariantCulture), first.Headers.GetValues("x-ratelimit-remaining-tokens").Single());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        // The first request settled to its reported total before the second was counted.
        Assert.Equal((2000 - reported - counted).ToString(System.Globalization.CultureInfo.InvariantCulture), second.Headers.GetValues("x-ratelimit-remaining-tokens").Single());
        Assert.True((2 * reported) + counted > 2000);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("tokens", JsonDocument.Parse(await third.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("30", third.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task Chat_100ConcurrentLargePrompts_ExactlyTheTpmWorthPassAndTheWindowNeverPassesTheLimit()
    {
        var clock = new ManualClock(s_midMinute);

        // A long upstream latency keeps every request in flight until all 100 were admitted or refused.
        await using var gw = await KeysGateway.StartAsync(clock, latency: TimeSpan.FromSeconds(2));
        var content = string.Concat(Enumerable.Repeat("word ", 600)).TrimEnd();
        // Admission first bounds the prompt by its bytes; the requests that bound refuses are counted with the tokenizer.
        var messages = JsonSerializerBytes(content);
        var reserved = Tollgate.Gateway.Admission.AdmissionControl.WithMargin(TokenEstimator.BoundPrompt(messages, tokenize: false).Tokens) + 10;
        var tokenized = Tollgate.Gateway.Admission.AdmissionControl.WithMargin(TokenEstimator.BoundPrompt(messages).Tokens) + 10;
        var tpm = (10 * reserved) + (reserved / 2);
        var second = (tpm - (10 * reserved)) / tokenized;
        var key = (await gw.CreateKeyAsync(new { tpm })).GetProperty("key").GetString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => gw.ChatAsync(key, content: content, maxTokens: 10)));

        // Each admitted request took its worst case (both bounds ≥ the reported 757 + 10): 10 fit by their byte bound,
        // then as many as the rest of the window holds by the tokenizer's count (2 here), and their real total is under
        // the limit: the window is never passed, not even by one request.
        Assert.Equal(2, second);
        Assert.Equal(10 + second, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(90 - second, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.True(tokenized >= 767, $"reserved {tokenized}");
        using var after = await gw.ChatAsync(key, content: "Hello", maxTokens: 1);
        var used = tpm - long.Parse(after.Headers.GetValues("x-ratelimit-remaining-tokens").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(used, 0, tpm);
        foreach (var r in responses)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task Chat_PromptLargerThanWholeTpm_Returns429RequestTooLarge()
    {
        await using var gw = await KeysGateway.StartAsync(new ManualClock(s_midMinute));
        var key = (await gw.CreateKeyAsync(new { tpm = 100 })).GetProperty("key").GetString();

        using var chat = await gw.ChatAsync(key, content: string.Concat(Enumerable.Repeat("word ", 600)));

        await KeyAuthTests.AssertError(chat, HttpStatusCode.TooManyRequests, "more than this key's whole limit of 100 tokens per minute");
    }

    [Fact]
    public async Task Chat_10ConcurrentWithMaxParallel3_ThreePassAndSlotsComeBack()
    {
        await using var gw = await KeysGateway.StartAsync(latency: TimeSpan.FromSeconds(1));
        var key = (await gw.CreateKeyAsync(new { max_parallel = 3 })).GetProperty("key").GetString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => gw.ChatAsync(key)));
        using var after = await gw.ChatAsync(key);

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
            Assert.Equal("1", r.Headers.GetValues("Retry-After").Single());
        });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private static byte[] JsonSerializerBytes(string content) =>
        JsonSerializer.SerializeToUtf8Bytes(new[] { new { role = "user", content } });
}
