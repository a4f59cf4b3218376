using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Errors;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Admin;

/// <summary>
/// <c>GET /v1/usage/latency?from=&amp;to=&amp;group_by=provider|model|key[&amp;key=prefix]</c>: per group, requests,
/// failures, the error rate, and latency and time-to-first-token percentiles (p50, p90, p99, nearest rank) of the
/// successful requests. <c>group_by</c> defaults to provider and <c>from</c> to the start of the UTC month. Who sees
/// what as for <c>/v1/usage</c>.
/// </summary>
internal sealed class LatencyEndpoint(Authenticator authenticator, ILedger ledger, TimeProvider time)
{
    public async Task GetAsync(HttpContext context)
    {
        var caller = authenticator.Authenticate(context, out var error);
        if (caller is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var groupBy = AdminRequest.Optional(context.Request.Query["group_by"]) switch
        {
            null or "provider" => UsageGroup.Provider,
            "model" => UsageGroup.Model,
            "key" => UsageGroup.Key,
            _ => (UsageGroup)(-1),
        };
        string? keyId = null;
        DateTimeOffset? from = null, to = null;
        var refused = groupBy < 0 ? ApiError.BadRequest("'group_by' must be provider, model or key.", "group_by")
            : AdminRequest.ScopeKey(caller, context.Request, out keyId) ?? AdminRequest.Range(context.Request, out from, out to);
        if (refused is not null)
        {
            await refused.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var now = time.GetUtcNow();
        from ??= new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var rows = await ledger.LatencyAsync(new UsageQuery { From = from, To = to, KeyId = keyId, GroupBy = groupBy }, context.RequestAborted).ConfigureAwait(false);
        var groupName = groupBy.ToString().ToLowerInvariant();
        context.Response.ContentType = "application/json";
        var w = new Utf8JsonWriter(context.Response.BodyWriter);
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteString("from", from.Value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        w.WriteString("to", to?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        w.WriteString("group_by", groupName);
        w.WriteString("key", keyId);
        w.WriteStartArray("data");
        foreach (var row in rows)
        {
            w.WriteStartObject();
            w.WriteString(groupName, row.Group);
            w.WriteNumber("requests", row.Requests);
            w.WriteNumber("failed_requests", row.FailedRequests);
            w.WriteNumber("error_rate", row.Requests == 0 ? 0 : Math.Round((double)row.FailedRequests / row.Requests, 4));
            WritePercentiles(w, "latency_ms", row.LatencyP50Ms, row.LatencyP90Ms, row.LatencyP99Ms);
            WritePercentiles(w, "ttft_ms", row.TtftP50Ms, row.TtftP90Ms, row.TtftP99Ms);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static void WritePercentiles(Utf8JsonWriter w, string name, double? p50, double? p90, double? p99)
    {
        w.WriteStartObject(name);
        Write(w, "p50", p50);
        Write(w, "p90", p90);
        Write(w, "p99", p99);
        w.WriteEndObject();

        static void Write(Utf8JsonWriter w, string name, double? value)
        {
            if (value is { } v)
            {
                w.WriteNumber(name, Math.Round(v, 3));
            }
            else
            {
                w.WriteNull(name);
            }
        }
    }
}
