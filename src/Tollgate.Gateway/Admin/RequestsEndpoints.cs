using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Core.Catalog;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Errors;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Admin;

/// <summary>
/// The request log: <c>GET /v1/requests</c> (the ledger newest first, filtered, a page at a time) and
/// <c>GET /v1/requests/{id}</c> (one entry with its prices and cost breakdown). The master key sees every entry;
/// a virtual key sees only its own (another key's entry is 404, so ids of other keys are not confirmed).
/// </summary>
internal sealed class RequestsEndpoints(ILedger ledger, Authenticator authenticator, ModelCatalog catalog)
{
    private const int MaxLimit = 10_000;

    public async Task ListAsync(HttpContext context)
    {
        var caller = authenticator.Authenticate(context, out var error);
        if (caller is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var parsed = Parse(context.Request, caller, out var query);
        if (parsed is not null)
        {
            await parsed.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var page = await ledger.QueryAsync(query, context.RequestAborted).ConfigureAwait(false);
        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        foreach (var e in page.Entries)
        {
            writer.WriteStartObject();
            RequestJson.WriteFields(writer, e);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteBoolean("has_more", page.NextCursor is not null);
        writer.WriteString("next_cursor", page.NextCursor);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public async Task GetAsync(HttpContext context, string id)
    {
        var caller = authenticator.Authenticate(context, out var error);
        if (caller is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var query = new LedgerQuery { Id = id, KeyId = caller.IsMaster ? null : caller.KeyId, Limit = 1 };
        var page = await ledger.QueryAsync(query, context.RequestAborted).ConfigureAwait(false);
        if (page.Entries.Count == 0)
        {
            await ApiError.NotFound($"No request with the id '{id}' is in the ledger{(caller.IsMaster ? "" : " for this key")}.", "id", "request_not_found").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        RequestJson.WriteFields(writer, page.Entries[0]);
        RequestJson.WriteBreakdown(writer, page.Entries[0], catalog);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static ApiError? Parse(HttpRequest request, KeyContext caller, out LedgerQuery query)
    {
        query = new LedgerQuery();
        var q = request.Query;
        var limit = 50;
        if (q.TryGetValue("limit", out var raw)
            && (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            return ApiError.BadRequest($"'limit' must be an integer from 1 to {MaxLimit}.", "limit");
        }

        var cursor = AdminRequest.Optional(q["cursor"]);
        if (cursor is not null && !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return ApiError.BadRequest("'cursor' must be the next_cursor of a previous page.", "cursor");
        }

        if (AdminRequest.ScopeKey(caller, request, out var keyId) is { } forbidden)
        {
            return forbidden;
        }

        if (AdminRequest.Range(request, out var from, out var to) is { } badRange)
        {
            return badRange;
        }

        var status = AdminRequest.Optional(q["status"]);
        if (!TryStatus(status, out var min, out var max))
        {
            return ApiError.BadRequest("'status' must be an HTTP status (429), a class (2xx, 4xx, 5xx), 'ok' (below 400) or 'error' (400 and above).", "status");
        }

        query = new LedgerQuery
        {
            Limit = limit,
            Cursor = cursor,
            KeyId = keyId,
            From = from,
            To = to,
            Model = AdminRequest.Optional(q["model"]),
            Provider = AdminRequest.Optional(q["provider"]),
            MinStatus = min,
            MaxStatus = max,
        };
        return null;
    }

    private static bool TryStatus(string? value, out int? min, out int? max)
    {
        (min, max) = (null, null);
        switch (value)
        {
            case null:
                return true;
            case "ok":
                max = 399;
                return true;
            case "error":
                min = 400;
                return true;
            case [var d and >= '1' and <= '5', 'x' or 'X', 'x' or 'X']:
                min = (d - '0') * 100;
                max = min + 99;
                return true;
            default:
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var exact) && exact is >= 100 and <= 599)
                {
                    (min, max) = (exact, exact);
                    return true;
                }

                return false;
        }
    }
}
