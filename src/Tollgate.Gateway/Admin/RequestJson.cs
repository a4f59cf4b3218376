using System.Text.Json;
using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Admin;

/// <summary>A ledger entry as <c>GET /v1/requests</c> and <c>GET /v1/requests/{id}</c> write it.</summary>
internal static class RequestJson
{
    /// <summary>Writes the entry's fields as properties of the object being written (the caller opens and closes it).</summary>
    public static void WriteFields(Utf8JsonWriter writer, LedgerEntry e)
    {
        writer.WriteString("id", e.Id);
        writer.WriteString("created_at", e.Time);
        writer.WriteString("key", e.KeyId);
        writer.WriteString("endpoint", e.Endpoint);
        writer.WriteString("provider", e.Provider);
        writer.WriteString("model", e.Model);
        writer.WriteBoolean("stream", e.Stream);
        writer.WriteNumber("status", e.Status);
        writer.WriteString("error_type", e.ErrorType);
        writer.WriteNumber("latency_ms", Math.Round(e.LatencyMs, 3));
        if (e.TtftMs is { } ttft)
        {
            writer.WriteNumber("ttft_ms", Math.Round(ttft, 3));
        }
        else
        {
            writer.WriteNull("ttft_ms");
        }

        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", e.InputTokens);
        writer.WriteNumber("cache_read_tokens", e.CacheReadTokens);
        writer.WriteNumber("cache_write_tokens", e.CacheWriteTokens);
        writer.WriteNumber("output_tokens", e.OutputTokens);
        writer.WriteNumber("reasoning_tokens", e.ReasoningTokens);
        writer.WriteEndObject();
        WriteMoney(writer, "cost", e.Cost);
        WriteMoney(writer, "list_cost", e.ListCost);
        WriteMoney(writer, "over_reserved", e.OverReserved);
        writer.WriteBoolean("estimated", e.Estimated);
        writer.WriteBoolean("unpriced", e.Unpriced);
        LedgerAttemptJson.Write(writer, "attempts", e.Attempts);
    }

    /// <summary>
    /// The catalog's prices of the entry's model and the cost split into its parts. The split is recomputed from the
    /// entry's usage at the catalog's standard prices, so it is written only when it adds up to the cost the ledger
    /// charged (a batch or flex request, or a price changed since, leaves <c>cost_breakdown</c> null rather than wrong).
    /// </summary>
    public static void WriteBreakdown(Utf8JsonWriter writer, LedgerEntry e, ModelCatalog catalog)
    {
        var slash = e.Model?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        var model = slash > 0 ? catalog.Find(e.Model![..slash], e.Model[(slash + 1)..]) : null;
        if (model is null)
        {
            writer.WriteNull("pricing");
            writer.WriteNull("cost_breakdown");
            return;
        }

        var p = model.Prices;
        writer.WriteStartObject("pricing");
        writer.WriteNumber("input", Money.Normalize(p.Input));
        writer.WriteNumber("cached_input", Money.Normalize(p.CachedInput ?? p.Input));
        writer.WriteNumber("cache_write", Money.Normalize(p.CacheWrite5m ?? p.Input));
        writer.WriteNumber("output", Money.Normalize(p.Output));
        writer.WriteEndObject();

        var cost = CostCalculator.Calculate(model, new TokenUsage
        {
            InputTokens = e.InputTokens,
            CacheReadTokens = e.CacheReadTokens,
            CacheWrite5mTokens = e.CacheWriteTokens,
            OutputTokens = e.OutputTokens,
            ReasoningTokens = e.ReasoningTokens,
        });
        if (e.Cost is not { } charged || Money.Normalize(cost.Total) != Money.Normalize(charged))
        {
            writer.WriteNull("cost_breakdown");
            return;
        }

        CostJson.WriteParts(writer, "cost_breakdown", cost);
    }

    public static void WriteMoney(Utf8JsonWriter writer, string name, decimal? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, Money.Normalize(v));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
