using System.Net;
using Xunit.Abstractions;

namespace Tollgate.Gateway.Tests.Keys;

/// <summary>
/// Attacks on a $0.01 budget with prompt parts the provider bills but admission once did not count: each request is
/// small in <c>messages</c>, and the emulator bills what a provider would for the rest (its <c>prompt_tokens</c>
/// knob). demo/cheap costs $2.50 per million input tokens and $10 per million output tokens; demo/embed-cheap $1 per
/// million. Before, each of these was admitted at a worst case of a few cents' thousandths and several together spent
/// past the threshold; now each is refused up front and the spend stays 0.
/// </summary>
public sealed class UncountedPromptAttackTests(ITestOutputHelper output)
{
    private const decimal Threshold = 0.01m;

    [Fact]
    public Task Chat_HugeToolDefinitions_NeverSpendPastTheThreshold() =>
        AttackAsync("tools", 12_010, new Dictionary<string, object?>
        {
            ["model"] = "demo/cheap",
            ["messages"] = new[] { new { role = "user", content = "hi" } },
            ["max_tokens"] = 10,
            ["tools"] = new[] { new { type = "function", function = new { name = "f", description = Words(12_000) } } },
        });

    [Fact]
    public Task Chat_HugeFunctions_NeverSpendPastTheThreshold() =>
        AttackAsync("functions", 12_010, new Dictionary<string, object?>
        {
            ["model"] = "demo/cheap",
            ["messages"] = new[] { new { role = "user", content = "hi" } },
            ["max_tokens"] = 10,
            ["functions"] = new[] { new { name = "f", description = Words(12_000) } },
        });

    [Fact]
    public Task Chat_HugeResponseSchema_NeverSpendPastTheThreshold() =>
        AttackAsync("response_format", 12_010, new Dictionary<string, object?>
        {
            ["model"] = "demo/cheap",
            ["messages"] = new[] { new { role = "user", content = "hi" } },
            ["max_tokens"] = 10,
            ["response_format"] = new { type = "json_schema", json_schema = new { name = "s", schema = new { type = "object", description = Words(12_000) } } },
        });

    [Fact]
    public Task Chat_Images_NeverSpendPastTheThreshold() =>
        AttackAsync("image_url", 3 * 1_445, new Dictionary<string, object?>
        {
            ["model"] = "demo/cheap",
            ["messages"] = new[]
            {
                new
                {
                    role = "user",
                    content = Enumerable.Range(0, 3).Select(_ => (object)new { type = "image_url", image_url = new { url = "https://example.com/huge.png", detail = "high" } }).ToArray(),
                },
            },
            ["max_tokens"] = 10,
        });

    [Fact]
    public Task Chat_AudioAndFile_NeverSpendPastTheThreshold() =>
        AttackAsync("input_audio/file", 5_000, new Dictionary<string, object?>
        {
            ["model"] = "demo/cheap",
            ["messages"] = new[]
            {
                new
                {
                    role = "user",
                    content = new object[]
                    {
                        new { type = "input_audio", input_audio = new { data = new string('U', 3_000), format = "wav" } },
                        new { type = "file", file = new { filename = "a.pdf", file_data = "data:application/pdf;base64," + new string('J', 2_000) } },
                    },
                },
            },
            ["max_tokens"] = 10,
        });

    [Fact]
    public Task Chat_ManyChoices_NeverSpendPastTheThreshold() =>

        // 128 choices of 10 tokens: the provider bills 1,280 output tokens ($0.0128); one choice's worth was $0.0001.
        AttackAsync("n", null, new Dictionary<string, object?>
        {
            ["model"] = "demo/cheap",
            ["messages"] = new[] { new { role = "user", content = "hi" } },
            ["max_tokens"] = 10,
            ["n"] = 128,
            ["emulator"] = new { completion_tokens = 1_280 },
        });

    [Fact]
    public Task Embeddings_TokenArrays_NeverSpendPastTheThreshold() =>
        AttackAsync("embeddings token arrays", null, new Dictionary<string, object?>
        {
            ["model"] = "demo/embed-cheap",
            ["input"] = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(1, 5_000).ToArray()).ToArray(),
        }, "/v1/embeddings");

    /// <summary>Sends the request 5 times on a $0.01 key with the provider billing <paramref name="billed"/> prompt tokens; the spend must stay within the threshold.</summary>
    private async Task AttackAsync(string part, long? billed, Dictionary<string, object?> body, string path = "/v1/chat/completions")
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { limit = new { retention = "month", threshold = Threshold } });
        var key = created.GetProperty("key").GetString();
        var prefix = created.GetProperty("prefix").GetString()!;
        if (billed is { } tokens)
        {
            body["emulator"] = new { prompt_tokens = tokens };
        }

        var admitted = 0;
        for (var i = 0; i < 5; i++)
        {
            using var response = await gw.SendAsync(HttpMethod.Post, path, key, body);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                admitted++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                Assert.Contains("insufficient_quota", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        var spent = await BudgetConcurrencyTests.SpentAsync(gw, prefix);
        output.WriteLine($"{part}: 5 sent, {admitted} admitted, ${spent} spent of ${Threshold}");
        Assert.True(spent <= Threshold, $"{part}: spent {spent} > {Threshold}");
        Assert.Equal(0, admitted);
    }

    private static string Words(int n) => string.Join(' ', Enumerable.Repeat("word", n));
}
