using Microsoft.Extensions.Logging;
using Tollgate.Core.Usage;
using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Telemetry;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Settlement;

/// <summary>
/// The one place a request ends: its usage priced, its single ledger entry appended (durable before it counts), and
/// what admission took for it settled, and its metrics and span recorded from that same entry. Called once per request,
/// whichever way it ended; later calls do nothing.
/// One log line per request goes out at Information in the category <see cref="RequestLogCategory"/>, with its id, key
/// prefix, model, provider, status, latency and cost, never its content or a credential. The host lets it through only
/// when asked (<c>log_requests</c>): a console line per request costs more than the rest of the settlement.
/// A provider that reported more than admission allowed is settled at its reported cost and flagged
/// (<see cref="OverReport"/>): the entry's <c>over_reserved</c> and a warning, with ids and counts only.
/// </summary>
internal sealed partial class Settler(ILedger ledger, AdmissionControl admission, TimeProvider time, GatewayMetrics metrics, ILoggerFactory loggers)
{
    /// <summary>The log category of the per-request lines.</summary>
    public const string RequestLogCategory = "Tollgate.Requests";

    private readonly ILogger _requests = loggers.CreateLogger(RequestLogCategory);
    private readonly ILogger _warnings = loggers.CreateLogger<Settler>();

    public void Settle(RequestRecord record, int status, string? errorType, TokenUsage? usage = null, bool estimated = false)
    {
        if (record.Written)
        {
            return;
        }

        var entry = record.ToEntry(status, errorType, usage, estimated, time.GetElapsedTime(record.StartTimestamp).TotalMilliseconds);
        if (OverReport.Excess(record, record.Admission, usage, entry.Cost, estimated, out var allowed) is { } excess)
        {
            entry = entry with { OverReserved = excess };
            LogOverReported(_warnings, entry.Id, entry.KeyId ?? "public", entry.Provider, entry.Model, usage!.OutputTokens, allowed, excess);
        }

        ledger.Append(entry);
        admission.Settle(record.Admission, entry.Cost, usage);
        var outcome = PipelineTelemetry.Outcome(entry);
        metrics.RecordRequest(outcome);
        GatewayTracing.Annotate(record.Span, outcome);
        LogSettled(_requests, entry.Id, entry.KeyId ?? "master", entry.Model, entry.Provider, entry.Status, entry.LatencyMs, entry.Cost);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} key {KeyId}: provider {Provider} model {Model} reported {Output} output tokens, {Allowed} allowed; settled at the reported cost, {Excess} USD beyond what was reserved (over_reserved)")]
    private static partial void LogOverReported(ILogger logger, string requestId, string keyId, string? provider, string? model, long output, long allowed, decimal excess);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} key {KeyId} model {Model} provider {Provider} status {Status} in {LatencyMs} ms cost {Cost} USD")]
    private static partial void LogSettled(ILogger logger, string requestId, string keyId, string? model, string? provider, int status, double latencyMs, decimal? cost);
}
