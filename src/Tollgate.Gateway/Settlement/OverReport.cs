using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;
using Tollgate.Gateway.Admission;

namespace Tollgate.Gateway.Settlement;

/// <summary>
/// A provider that reports more than admission allowed (more output tokens than the request's limit, or a cost past
/// its budget reservation): the request still settles at the reported cost, the ledger entry carries the excess in
/// <c>over_reserved</c>, and a warning is logged. Only requests admitted with a ticket (virtual keys, public mode) and
/// priced by tokens are checked; the check is two comparisons on every other request.
/// </summary>
internal static class OverReport
{
    /// <summary>
    /// The USD beyond what was allowed, or null when the provider stayed within it: the cost over the budget reservation
    /// (0 when the output passed its limit but the cost did not pass the reservation), else, with no budget, the cost
    /// of the output past the limit.
    /// </summary>
    public static decimal? Excess(RequestRecord record, AdmissionTicket? ticket, TokenUsage? usage, decimal? cost, out long allowedOutput)
    {
        allowedOutput = 0;
        if (ticket is null || usage is null || record.WorstCase is not null)
        {
            return null;
        }

        allowedOutput = ticket.AllowedOutput(record.Route?.Model);
        var overOutput = usage.OutputTokens > allowedOutput;
        var overCost = ticket.Budget is { } budget && cost > budget.Amount;
        if (!overOutput && !overCost)
        {
            return null;
        }

        if (ticket.Budget is { } reserved)
        {
            return Money.Normalize(Math.Max(0m, (cost ?? 0m) - reserved.Amount));
        }

        // No budget: what the output past the limit cost, the rest of the usage as it was.
        var within = record.Price(usage with { OutputTokens = allowedOutput, ReasoningTokens = Math.Min(usage.ReasoningTokens, allowedOutput), OutputAudioTokens = Math.Min(usage.OutputAudioTokens, allowedOutput), OutputImageTokens = Math.Min(usage.OutputImageTokens, allowedOutput) });
        return Money.Normalize(Math.Max(0m, (cost ?? 0m) - (within ?? 0m)));
    }
}
