using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Billing;
using Tollgate.Gateway.Errors;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Admin;

/// <summary>
/// <c>GET /v1/usage/series?from=&amp;to=&amp;bucket=hour|day&amp;group_by=key|model|provider[&amp;key=prefix]</c>: the
/// sums of <c>/v1/usage</c> per UTC hour or day of the requests' start, and per group within each bucket (buckets
/// without requests are left out). <c>to</c> defaults to now and <c>from</c> to 24 hours (hour buckets) or 30 days
/// (day buckets) before it; an hourly series spans at most 31 days. Who sees what as for <c>/v1/usage</c>.
/// </summary>
internal sealed class UsageSeriesEndpoint(Authenticator authenticator, ILedger ledger, TimeProvider time)
{
    private static readonly TimeSpan MaxHourly = TimeSpan.FromDays(31);
    private static readonly TimeSpan MaxDaily = TimeSpan.FromDays(3660);

    public async Task GetAsync(HttpContext context)
    {
        var caller = authenticator.Authenticate(context, out var error);
        if (caller is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var q = context.Request.Query;
        var bucket = AdminRequest.Optional(q["bucket"]) switch
        {
            null or "hour" => SeriesBucket.Hour,
            "day" => SeriesBucket.Day,
            _ => (SeriesBucket)(-1),
        };
        var groupBy = AdminRequest.Optional(q["group_by"]) switch
        {
            null => UsageGroup.None,
            "key" => UsageGroup.Key,
            "model" => UsageGroup.Model,
            "provider" => UsageGroup.Provider,
            _ => (UsageGroup)(-1),
        };
        var refused = bucket < 0 ? ApiError.BadRequest("'bucket' must be hour or day.", "bucket")
            : groupBy < 0 ? ApiError.BadRequest("'group_by' must be key, model or provider.", "group_by")
            : null;
        string? keyId = null;
        DateTimeOffset? from = null, to = null;
        refused ??= AdminRequest.ScopeKey(caller, context.Request, out keyId) ?? AdminRequest.Range(context.Request, out from, out to);
        if (refused is null)
        {
            to ??= time.GetUtcNow();
            from ??= to.Value - (bucket == SeriesBucket.Hour ? TimeSpan.FromHours(24) : TimeSpan.FromDays(30));
            refused = from >= to ? ApiError.BadRequest("'from' must be before 'to'.", "from")
                : to.Value - from.Value <= (bucket == SeriesBucket.Hour ? MaxHourly : MaxDaily) ? null
                : ApiError.BadRequest(bucket == SeriesBucket.Hour ? "An hourly series spans at most 31 days; use bucket=day for longer ranges." : "A daily series spans at most 3660 days.", "from");
        }

        if (refused is not null)
        {
            await refused.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var rows = await ledger.SeriesAsync(new SeriesQuery { From = from!.Value, To = to!.Value, KeyId = keyId, Bucket = bucket, GroupBy = groupBy }, context.RequestAborted).ConfigureAwait(false);
        var groupName = groupBy == UsageGroup.None ? null : groupBy.ToString().ToLowerInvariant();
        context.Response.ContentType = "application/json";
        var w = new Utf8JsonWriter(context.Response.BodyWriter);
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteString("from", from.Value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        w.WriteString("to", to.Value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        w.WriteString("bucket", bucket == SeriesBucket.Hour ? "hour" : "day");
        w.WriteString("group_by", groupName);
        w.WriteString("key", keyId);
        w.WriteStartArray("data");
        foreach (var row in rows)
        {
            w.WriteStartObject();
            w.WriteString("start", row.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            if (groupName is not null)
            {
                w.WriteString(groupName, row.Usage.Group);
            }

            UsageEndpoint.WriteSums(w, row.Usage);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
