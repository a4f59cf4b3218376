using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;
using Tollgate.Gateway.Admission;

namespace Tollgate.Gateway.Settlement;

/// <summary>
/// A provider that reports more than admission allowed (more output tokens than the request's limit, or a cost past
/// its budget reservation): the request still settles at the reported cost, the ledger entry carries the excess in
/// <c>over_reserved</c>, and a warning is logged. Only requests admitted with a ticket (virtual keys, public mode) are
/// checked; the check is two comparisons on a well-behaved request.
/// </summary>
internal static class OverReport
{
    /// <summary>
    /// The USD beyond what was allowed, or null when the provider stayed within it: the cost over the budget reservation
    /// (0 when the output passed its limit but the cost did not pass the reservation), else, with no budget, the cost
    /// of the output past the limit.
    /// </summary>
    /// <param name="estimated">True when the usage is the gateway's own count (the provider reported none): then only
    /// a cost past the reservation is flagged, as the tokenizer may count a full-length answer a little over its limit.</param>
    public static decimal? Excess(RequestRecord record, AdmissionTicket? ticket, TokenUsage? usage, decimal? cost, bool estimated, out long allowedOutput)
    {
        allowedOutput = 0;
        if (ticket is null || usage is null)
        {
            return null;
        }

        // Endpoints priced per unit (images, audio) reserve their own worst case and have no output limit: only their cost is checked.
        allowedOutput = ticket.AllowedOutput(record.Route?.Model);
        var overOutput = !estimated && record.WorstCase is null && usage.OutputTokens > allowedOutput;
        var overCost = ticket.Reserved is { } budget && cost > budget;
        if (!overOutput && !overCost)
        {
            return null;
        }

        if (ticket.Reserved is { } reserved)
        {
            return Money.Normalize(Math.Max(0m, (cost ?? 0m) - reserved));
        }

        // No budget: what the output past the limit cost, the rest of the usage as it was.
        var within = record.Price(usage with { OutputTokens = allowedOutput, ReasoningTokens = Math.Min(usage.ReasoningTokens, allowedOutput), OutputAudioTokens = Math.Min(usage.OutputAudioTokens, allowedOutput), OutputImageTokens = Math.Min(usage.OutputImageTokens, allowedOutput) });
        return Money.Normalize(Math.Max(0m, (cost ?? 0m) - (within ?? 0m)));
    }
}
