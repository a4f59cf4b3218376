using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Gateway.Telemetry;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Tests.Telemetry;

/// <summary>The settler's telemetry is on every request's path: with a reader attached it allocates nothing.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class RecordRequestAllocationTests
{
    [Fact]
    public void OutcomeAndRecordRequest_WithAListener_AllocateNothing()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new GatewayMetrics(services.GetRequiredService<IMeterFactory>());
        long seen = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GatewayTelemetry.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => seen++);
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => seen++);
        listener.Start();
        var ok = new LedgerEntry { Id = "req_1", Time = DateTimeOffset.UnixEpoch, Endpoint = "chat", KeyId = "tg-abcde", Provider = "demo", Model = "demo/priced", Status = 200, LatencyMs = 12.5, TtftMs = 3.5, InputTokens = 9, CacheReadTokens = 4, OutputTokens = 2, Cost = 0.013m };
        var failed = new LedgerEntry { Id = "req_2", Time = DateTimeOffset.UnixEpoch, Endpoint = "chat", Provider = "demo", Model = "demo/priced", Status = 502, ErrorType = "upstream_error", LatencyMs = 40 };
        for (var i = 0; i < 100; i++)
        {
            Run();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        // ok: duration, ttft, 2 token histograms, tollgate.tokens for input, cache_read and output, requests, cost (9);
        // failed: duration and requests (2).
        Assert.Equal(1100 * (9 + 2), seen);

        void Run()
        {
            metrics.RecordRequest(PipelineTelemetry.Outcome(ok));
            metrics.RecordRequest(PipelineTelemetry.Outcome(failed));
        }
    }
}
