using System.Net;
using System.Text.Json;

namespace Tollgate.Gateway.Tests.Keys;

/// <summary>Bursts of concurrent "Hello" requests (max_tokens 50, lorem reply) on a budgeted key, checking every answer.</summary>
internal static class BudgetBurst
{
    /// <summary>
    /// Sends <paramref name="rounds"/> bursts of 200, request i to <paramref name="pick"/>(i); every answer is a complete
    /// 200 or a 429 <c>insufficient_quota</c> whose message contains <paramref name="refusal"/>. Returns how many passed;
    /// the first burst must admit at least 50 (the budget covers 50 worst cases at once).
    /// </summary>
    public static async Task<int> RunAsync(Func<int, KeysGateway> pick, string key, bool stream, string refusal, int rounds = 3)
    {
        var admitted = 0;
        for (var round = 0; round < rounds; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => pick(i).ChatAsync(key, stream: stream, maxTokens: 50, lorem: true)));
            foreach (var r in responses)
            {
                var text = await r.Content.ReadAsStringAsync();
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    admitted++;
                    Assert.Contains(stream ? "[DONE]" : "\"usage\"", text, StringComparison.Ordinal);
                }
                else
                {
                    Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
                    var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
                    Assert.Equal("insufficient_quota", error.GetProperty("code").GetString());
                    Assert.Contains(refusal, error.GetProperty("message").GetString(), StringComparison.Ordinal);
                }

                r.Dispose();
            }

            if (round == 0)
            {
                Assert.True(admitted >= 50, $"admitted {admitted}");
            }
        }

        return admitted;
    }
}
