using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Telemetry;
using Tollgate.Gateway.Tests.Keys;
using Tollgate.Storage.Ledger;
using static Tollgate.Gateway.Tests.Telemetry.GatewayMetricsTests;

namespace Tollgate.Gateway.Tests.Telemetry;

/// <summary>Real requests through a real gateway: what the pipeline records in /metrics and in spans.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class PipelineTelemetryTests
{
    [Fact]
    public async Task Metrics_AfterRealRequests_EqualTheLedger()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { name = "metered" });
        var key = created.GetProperty("key").GetString();
        var prefix = created.GetProperty("prefix").GetString();

        using (var plain = await gw.ChatAsync(key))
        {
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        }

        using (var streamed = await gw.ChatAsync(key, stream: true, lorem: true, maxTokens: 200))
        {
            Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
            await streamed.Content.ReadAsStringAsync();
        }

        using (var master = await gw.ChatAsync(KeysGateway.Master, lorem: true, maxTokens: 100))
        {
            Assert.Equal(HttpStatusCode.OK, master.StatusCode);
        }

        using (var unknown = await gw.ChatAsync(key, model: "nowhere/no-such-model"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        var ledger = gw.Services.GetRequiredService<ILedger>();
        await ledger.FlushAsync();
        var entries = await ledger.RecentAsync(100);
        var ok = entries.Where(e => e.Status == 200).ToArray();
        Assert.Equal(3, ok.Length);
        Assert.All(ok, e => Assert.True(e.OutputTokens > 0 && e.Cost > 0m));
        var text = await ScrapeAsync(gw);

        const string Demo = "gen_ai_provider_name=\"demo\"";
        const string Priced = "gen_ai_request_model=\"demo/priced\"";
        Assert.Equal(3, Sample(text, "tollgate_requests_total", "http_response_status_code=\"200\"", Demo, Priced, "tollgate_endpoint=\"chat\""));
        Assert.Equal(1, Sample(text, "tollgate_requests_total", "http_response_status_code=\"404\"", "gen_ai_provider_name=\"none\""));
        Assert.Equal(ok.Sum(e => e.InputTokens + e.CacheReadTokens + e.CacheWriteTokens), Sample(text, "gen_ai_client_token_usage_sum", "gen_ai_token_type=\"input\"", Demo, Priced));
        Assert.Equal(ok.Sum(e => e.OutputTokens), Sample(text, "gen_ai_client_token_usage_sum", "gen_ai_token_type=\"output\"", Demo, Priced));
        var keyCost = ok.Where(e => e.KeyId == prefix).Sum(e => e.Cost!.Value);
        var masterCost = ok.Where(e => e.KeyId is null).Sum(e => e.Cost!.Value);
        Assert.Equal((double)keyCost, Sample(text, "tollgate_cost_USD_total", $"tollgate_key_id=\"{prefix}\"", Demo, Priced), 9);
        Assert.Equal((double)masterCost, Sample(text, "tollgate_cost_USD_total", "tollgate_key_id=\"master\"", Demo, Priced), 9);
        Assert.Equal(entries.Count, Sample(text, "gen_ai_client_operation_duration_seconds_count", ""));
        Assert.Equal(entries.Count(e => e.TtftMs is not null), Sample(text, "gen_ai_server_time_to_first_token_seconds_count", Demo));
        var refused = Assert.Single(entries, e => e.Status != 200);
        Assert.Equal(1, Sample(text, "gen_ai_client_operation_duration_seconds_count", $"error_type=\"{refused.ErrorType}\"", "gen_ai_provider_name=\"none\""));
        Assert.Equal(0, Sample(text, "tollgate_requests_in_flight", ""));
        Assert.DoesNotContain(key!, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_RefusedByBudgetAndRateLimit_AreCounted()
    {
        await using var gw = await KeysGateway.StartAsync();

        // "Hello" with max_tokens 10 may cost up to $0.043 and costs $0.013: the second does not fit in $0.05.
        var budgeted = await gw.CreateKeyAsync(new { limit = new { retention = "day", threshold = 0.05 } });
        var limited = await gw.CreateKeyAsync(new { rpm = 1 });
        foreach (var created in new[] { budgeted, limited })
        {
            var key = created.GetProperty("key").GetString();
            using var first = await gw.ChatAsync(key);
            using var second = await gw.ChatAsync(key);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        }

        var text = await ScrapeAsync(gw);

        Assert.Equal(1, Sample(text, "tollgate_budget_refusals_total", $"tollgate_key_id=\"{budgeted.GetProperty("prefix").GetString()}\""));
        Assert.Equal(1, Sample(text, "tollgate_rate_limit_refusals_total", $"tollgate_key_id=\"{limited.GetProperty("prefix").GetString()}\"", "tollgate_limit=\"rpm\""));
        Assert.DoesNotContain("tollgate_rate_limit_refusals_total{" + $"tollgate_key_id=\"{budgeted.GetProperty("prefix").GetString()}\"", text, StringComparison.Ordinal);
        Assert.Equal(2, Sample(text, "tollgate_requests_total", "http_response_status_code=\"429\""));
        Assert.Equal(1, Sample(text, "gen_ai_client_operation_duration_seconds_count", "error_type=\"insufficient_quota\""));
        Assert.Equal(1, Sample(text, "gen_ai_client_operation_duration_seconds_count", "error_type=\"rate_limit_exceeded\""));
    }

    [Fact]
    public async Task Failover_TwoAttemptSpansUnderOneRequestSpan_AndOneFallbackCounted()
    {
        using var recorder = new SpanRecorder();
        await using var gw = await KeysGateway.StartAsync(configure: o => o with
        {
            Providers = [.. o.Providers, new ProviderSettings { Id = "dead", BaseUrl = $"http://127.0.0.1:{ClosedPort()}/v1", ApiKey = "sk-dead" }],
            Models = [new ModelGroupSettings { Name = "chatty", Deployments = [new DeploymentSettings { Provider = "dead", Model = "priced" }], Fallbacks = [KeysGateway.Model] }],
            Routing = o.Routing with { Retries = 0 },
        });

        using (var response = await gw.ChatAsync(KeysGateway.Master, model: "chatty"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("2", response.Headers.GetValues("x-tollgate-attempts").Single());
        }

        var spans = recorder.Stopped;

        var request = Assert.Single(spans, a => a.Kind == ActivityKind.Server);
        var attempts = spans.Where(a => a.Kind == ActivityKind.Client).OrderBy(a => (int)a.GetTagItem("tollgate.attempt")!).ToArray();
        Assert.Equal(2, attempts.Length);
        Assert.All(attempts, a => Assert.Equal(request.SpanId, a.ParentSpanId));
        Assert.All(attempts, a => Assert.Equal(request.TraceId, a.TraceId));
        Assert.Equal("dead", attempts[0].GetTagItem("gen_ai.provider.name"));
        Assert.Equal("connect", attempts[0].GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);
        Assert.Equal("demo", attempts[1].GetTagItem("gen_ai.provider.name"));
        Assert.Equal(200, attempts[1].GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, attempts[1].Status);
        Assert.Equal("chat demo/priced", request.DisplayName);
        Assert.Equal("demo/priced", request.GetTagItem("gen_ai.response.model"));
        Assert.Equal("demo", request.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(200, request.GetTagItem("http.response.status_code"));
        Assert.True((long)request.GetTagItem("gen_ai.usage.output_tokens")! > 0);
        Assert.NotNull(request.GetTagItem("tollgate.cost.usd"));

        var text = await ScrapeAsync(gw);
        Assert.Equal(1, Sample(text, "tollgate_upstream_fallbacks_total", "tollgate_fallback_from=\"dead\"", "gen_ai_provider_name=\"demo\""));
        Assert.DoesNotContain("tollgate_upstream_retries_total{", text, StringComparison.Ordinal);
        Assert.Equal(0, Sample(text, "tollgate_circuit_state", "gen_ai_provider_name=\"dead\""));
        Assert.Equal(1, Sample(text, "tollgate_requests_total", "http_response_status_code=\"200\"", "gen_ai_provider_name=\"demo\""));
        Assert.Equal(1, Sample(text, "gen_ai_client_operation_duration_seconds_count", "gen_ai_response_model=\"demo/priced\""));
    }

    private static int ClosedPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }
}
