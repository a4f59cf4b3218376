using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Tollgate.Gateway.Telemetry;
using Tollgate.Storage.Ledger;

namespace Tollgate.Benchmarks.Telemetry;

/// <summary>
/// What telemetry adds to one settled request: the settler's <see cref="GatewayMetrics.RecordRequest"/> from the
/// ledger entry, with the OpenTelemetry SDK and its Prometheus exporter listening as in the gateway (or nothing
/// listening), and the request and attempt spans with no trace listener (the default: no OTLP endpoint).
/// </summary>
[MemoryDiagnoser]
public class RequestTelemetryBenchmarks
{
    private readonly LedgerEntry _entry = new()
    {
        Id = "req_1", Time = DateTimeOffset.UnixEpoch, Endpoint = "chat", KeyId = "tg-abcde", Provider = "openai", Model = "openai/gpt-4o-mini",
        Status = 200, LatencyMs = 12.5, TtftMs = 3.5, InputTokens = 31, CacheReadTokens = 0, OutputTokens = 33, Cost = 0.0000243m,
    };

    private ServiceProvider _services = null!;
    private GatewayMetrics _metrics = null!;
    private MeterProvider? _provider;

    [Params(false, true)]
    public bool Exporter { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _metrics = new GatewayMetrics(_services.GetRequiredService<IMeterFactory>());
        if (Exporter)
        {
            _provider = Sdk.CreateMeterProviderBuilder().AddMeter(GatewayTelemetry.MeterName).AddPrometheusExporter().Build();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider?.Dispose();
        _metrics.Dispose();
        _services.Dispose();
    }

    [Benchmark]
    public void SettledRequest() => _metrics.RecordRequest(PipelineTelemetry.Outcome(_entry));

    [Benchmark]
    public void SpansWithoutListener()
    {
        using var request = GatewayTracing.StartRequest("chat", null);
        using var attempt = GatewayTracing.StartAttempt("chat", "openai", "gpt-4o-mini", 1);
        GatewayTracing.EndAttempt(attempt, 200, null);
    }
}
