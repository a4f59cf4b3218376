using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Gateway.Telemetry;
using Tollgate.Gateway.Tests.Keys;

namespace Tollgate.Gateway.Tests.Telemetry;

/// <summary>GET /metrics after known calls of the pipeline's telemetry API: the Prometheus text carries exactly them.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class GatewayMetricsTests
{
    [Fact]
    public async Task Metrics_AfterKnownRequests_CountsTokensAndCostAddUp()
    {
        await using var gw = await KeysGateway.StartAsync();
        var metrics = gw.Services.GetRequiredService<GatewayMetrics>();
        var ok = new RequestTelemetry
        {
            Operation = "chat",
            Endpoint = "chat",
            Provider = "demo",
            RequestModel = "demo/priced",
            ResponseModel = "demo/priced",
            KeyId = "tg-abcde",
            Status = 200,
            Duration = TimeSpan.FromMilliseconds(30),
            TimeToFirstToken = TimeSpan.FromMilliseconds(5),
            InputTokens = 9,
            CacheReadTokens = 4,
            CacheWriteTokens = 1,
            OutputTokens = 2,
            ReasoningTokens = 1,
            Cost = 0.013m,
        };
        metrics.RecordRequest(ok);
        metrics.RecordRequest(ok with { InputTokens = 100, CacheReadTokens = 0, CacheWriteTokens = 0, OutputTokens = 50, ReasoningTokens = 0, Cost = 0.2m, TimeToFirstToken = null });
        metrics.RecordRequest(ok with { Status = 429, ErrorType = "insufficient_quota", InputTokens = 0, OutputTokens = 0, Cost = null, TimeToFirstToken = null });
        metrics.RecordBudgetRefusal("tg-abcde");
        metrics.RecordRateLimitRefusal(null, "rpm");
        metrics.RecordRetry("demo", "demo/priced");
        metrics.RecordFallback("demo", "openai", "demo/priced");
        metrics.ObserveLedgerQueue(() => 7);
        metrics.RequestStarted();

        var text = await ScrapeAsync(gw);

        Assert.Equal(2, Sample(text, "tollgate_requests_total", "http_response_status_code=\"200\""));
        Assert.Equal(1, Sample(text, "tollgate_requests_total", "http_response_status_code=\"429\""));
        Assert.Equal(0.213, Sample(text, "tollgate_cost_USD_total", "tollgate_key_id=\"tg-abcde\""), 9);
        Assert.Equal(109, Sample(text, "gen_ai_client_token_usage_sum", "gen_ai_token_type=\"input\""));
        Assert.Equal(52, Sample(text, "gen_ai_client_token_usage_sum", "gen_ai_token_type=\"output\""));
        Assert.Equal(2, Sample(text, "gen_ai_client_token_usage_count", "gen_ai_token_type=\"output\""));
        Assert.Equal(104, Sample(text, "tollgate_tokens_total", "tollgate_token_kind=\"input\""));
        Assert.Equal(4, Sample(text, "tollgate_tokens_total", "tollgate_token_kind=\"cache_read\""));
        Assert.Equal(1, Sample(text, "tollgate_tokens_total", "tollgate_token_kind=\"cache_write\""));
        Assert.Equal(52, Sample(text, "tollgate_tokens_total", "tollgate_token_kind=\"output\""));
        Assert.Equal(1, Sample(text, "tollgate_tokens_total", "tollgate_token_kind=\"reasoning\""));
        Assert.Equal(3, Sample(text, "gen_ai_client_operation_duration_seconds_count", "gen_ai_provider_name=\"demo\""));
        Assert.Equal(1, Sample(text, "gen_ai_client_operation_duration_seconds_count", "error_type=\"insufficient_quota\""));
        Assert.Equal(1, Sample(text, "gen_ai_server_time_to_first_token_seconds_count", "gen_ai_request_model=\"demo/priced\""));
        Assert.Equal(1, Sample(text, "tollgate_budget_refusals_total", "tollgate_key_id=\"tg-abcde\""));
        Assert.Equal(1, Sample(text, "tollgate_rate_limit_refusals_total", "tollgate_limit=\"rpm\""));
        Assert.Equal(1, Sample(text, "tollgate_upstream_retries_total", "gen_ai_provider_name=\"demo\""));
        Assert.Equal(1, Sample(text, "tollgate_upstream_fallbacks_total", "tollgate_fallback_from=\"demo\""));
        Assert.Equal(7, Sample(text, "tollgate_ledger_queue_depth", ""));
        Assert.Equal(1, Sample(text, "tollgate_requests_in_flight", ""));

        // Key ids, never keys.
        Assert.DoesNotContain(KeysGateway.Master, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ManyKeys_LabelValuesStayBounded()
    {
        await using var gw = await KeysGateway.StartAsync();
        var metrics = gw.Services.GetRequiredService<GatewayMetrics>();
        for (var i = 0; i < 1100; i++)
        {
            metrics.RecordRequest(new RequestTelemetry { Operation = "chat", Endpoint = "chat", Provider = "demo", RequestModel = "demo/priced", KeyId = $"tg-{i:D5}", Status = 200, Cost = 0.001m });
        }

        var costLines = (await ScrapeAsync(gw)).Split('\n').Where(l => l.StartsWith("tollgate_cost_USD_total{", StringComparison.Ordinal)).ToArray();
        Assert.Equal(1001, costLines.Length);
        Assert.Contains(costLines, l => l.Contains("tollgate_key_id=\"other\"", StringComparison.Ordinal));
    }

    internal static async Task<string> ScrapeAsync(KeysGateway gw)
    {
        using var response = await gw.SendAsync(HttpMethod.Get, "/metrics", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels contain every one of <paramref name="labels"/>.</summary>
    internal static double Sample(string text, string name, params string[] labels)
    {
        var lines = text.Split('\n').Where(l => (l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal)) && labels.All(label => l.Contains(label, StringComparison.Ordinal))).ToArray();
        Assert.True(lines.Length > 0, $"no {name} with {string.Join(", ", labels)} in:\n{text}");
        return lines.Sum(l => double.Parse(l[(l.LastIndexOf('}') is var b and >= 0 ? b + 1 : name.Length)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
    }
}
