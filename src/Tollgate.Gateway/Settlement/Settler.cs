using Tollgate.Core.Usage;
using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Telemetry;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Settlement;

/// <summary>
/// The one place a request ends: its usage priced, its single ledger entry appended (durable before it counts), and
/// what admission took for it settled, and its metrics and span recorded from that same entry. Called once per request,
/// whichever way it ended; later calls do nothing.
/// </summary>
internal sealed class Settler(ILedger ledger, AdmissionControl admission, TimeProvider time, GatewayMetrics metrics)
{
    public void Settle(RequestRecord record, int status, string? errorType, TokenUsage? usage = null, bool estimated = false)
    {
        if (record.Written)
        {
            return;
        }

        var entry = record.ToEntry(status, errorType, usage, estimated, time.GetElapsedTime(record.StartTimestamp).TotalMilliseconds);
        ledger.Append(entry);
        admission.Settle(record.Admission, entry.Cost, usage);
        var outcome = PipelineTelemetry.Outcome(entry);
        metrics.RecordRequest(outcome);
        GatewayTracing.Annotate(record.Span, outcome);
    }
}
