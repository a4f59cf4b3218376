using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Core.Pricing;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Errors;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Billing;

/// <summary>
/// <c>GET /v1/usage?from=&amp;to=&amp;group_by=key|model|provider|day[&amp;key=prefix]</c>: requests, tokens by kind and
/// cost summed from the ledger. The master key sees every key (or one, with <c>key=</c>); a virtual key sees
/// only itself and gets 403 when it asks for another. <c>from</c> defaults to the start of the UTC month.
/// </summary>
internal sealed class UsageEndpoint(Authenticator authenticator, ILedger ledger, TimeProvider time)
{
    public async Task GetAsync(HttpContext context)
    {
        var caller = authenticator.Authenticate(context, out var error);
        if (caller is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var q = context.Request.Query;
        var now = time.GetUtcNow();
        if (!TryDate(q["from"], out var from) || !TryDate(q["to"], out var to))
        {
            await ApiError.BadRequest("'from' and 'to' must be dates (2026-11-01) or date-times (2026-11-01T12:00:00Z).", q.ContainsKey("from") ? "from" : "to").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        from ??= new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var groupBy = q["group_by"].ToString() switch
        {
            "" => UsageGroup.None,
            "key" => UsageGroup.Key,
            "model" => UsageGroup.Model,
            "provider" => UsageGroup.Provider,
            "day" => UsageGroup.Day,
            _ => (UsageGroup)(-1),
        };
        if (groupBy < 0)
        {
            await ApiError.BadRequest("'group_by' must be key, model, provider or day.", "group_by").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var requestedKey = q["key"].ToString();
        string? keyId = requestedKey.Length > 0 ? requestedKey : null;
        if (!caller.IsMaster)
        {
            if (keyId is not null && keyId != caller.KeyId)
            {
                await ApiError.Forbidden("A virtual key can read only its own usage.").WriteAsync(context).ConfigureAwait(false);
                return;
            }

            keyId = caller.KeyId;
        }

        var rows = await ledger.SummarizeAsync(new UsageQuery { From = from, To = to, KeyId = keyId, GroupBy = groupBy }, context.RequestAborted).ConfigureAwait(false);
        context.Response.ContentType = "application/json";
        var w = new Utf8JsonWriter(context.Response.BodyWriter);
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteString("from", from.Value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        w.WriteString("to", to?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        w.WriteString("group_by", groupBy == UsageGroup.None ? null : groupBy.ToString().ToLowerInvariant());
        w.WriteString("key", keyId);
        w.WriteStartArray("data");
        var total = new UsageRow();
        foreach (var row in rows)
        {
            Write(w, row, groupBy);
            total = Add(total, row);
        }

        w.WriteEndArray();
        w.WritePropertyName("total");
        Write(w, total, UsageGroup.None);
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    internal static UsageRow Add(UsageRow a, UsageRow b) => a with
    {
        Requests = a.Requests + b.Requests,
        FailedRequests = a.FailedRequests + b.FailedRequests,
        InputTokens = a.InputTokens + b.InputTokens,
        CacheReadTokens = a.CacheReadTokens + b.CacheReadTokens,
        CacheWriteTokens = a.CacheWriteTokens + b.CacheWriteTokens,
        OutputTokens = a.OutputTokens + b.OutputTokens,
        ReasoningTokens = a.ReasoningTokens + b.ReasoningTokens,
        Cost = a.Cost + b.Cost,
        UnpricedRequests = a.UnpricedRequests + b.UnpricedRequests,
    };

    private static void Write(Utf8JsonWriter w, UsageRow row, UsageGroup groupBy)
    {
        w.WriteStartObject();
        if (groupBy != UsageGroup.None)
        {
            w.WriteString(groupBy.ToString().ToLowerInvariant(), row.Group);
        }

        WriteSums(w, row);
        w.WriteEndObject();
    }

    /// <summary>Writes the sums of <paramref name="row"/> as properties of the object being written.</summary>
    internal static void WriteSums(Utf8JsonWriter w, UsageRow row)
    {
        w.WriteNumber("requests", row.Requests);
        w.WriteNumber("failed_requests", row.FailedRequests);
        w.WriteNumber("input_tokens", row.InputTokens);
        w.WriteNumber("cache_read_tokens", row.CacheReadTokens);
        w.WriteNumber("cache_write_tokens", row.CacheWriteTokens);
        w.WriteNumber("output_tokens", row.OutputTokens);
        w.WriteNumber("reasoning_tokens", row.ReasoningTokens);
        w.WriteNumber("cost", Money.Normalize(row.Cost));
        w.WriteNumber("unpriced_requests", row.UnpricedRequests);
    }

    internal static bool TryDate(Microsoft.Extensions.Primitives.StringValues raw, out DateTimeOffset? value)
    {
        value = null;
        if (raw.Count == 0 || string.IsNullOrEmpty(raw[0]))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(raw[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var v))
        {
            value = v.ToUniversalTime();
            return true;
        }

        return false;
    }
}
