namespace Tollgate.Storage.Ledger;

/// <summary>
/// Errors and latency of one group (<see cref="ILedger.LatencyAsync"/>). Percentiles are nearest-rank, over the
/// successful requests (status below 400) only, so fast refusals do not hide a slow provider; time to first
/// token is over streamed ones. A percentile is null when no request qualifies.
/// </summary>
public sealed record LatencyRow
{
    public string? Group { get; init; }
    public long Requests { get; init; }
    public long FailedRequests { get; init; }
    public double? LatencyP50Ms { get; init; }
    public double? LatencyP90Ms { get; init; }
    public double? LatencyP99Ms { get; init; }
    public double? TtftP50Ms { get; init; }
    public double? TtftP90Ms { get; init; }
    public double? TtftP99Ms { get; init; }
}
