using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Billing;
using Tollgate.Gateway.Errors;

namespace Tollgate.Gateway.Admin;

/// <summary>
/// What the read endpoints of the dashboard share: the caller, the key whose data it may see (a virtual key sees
/// only itself), and the <c>from</c>/<c>to</c> range. Each parse returns the error to answer with, or null.
/// </summary>
internal static class AdminRequest
{
    /// <summary>
    /// The key filter for <paramref name="caller"/>: the master key gets the <c>key</c> parameter as sent (null for
    /// all keys); a virtual key gets itself, and 403 when it asks for another key.
    /// </summary>
    public static ApiError? ScopeKey(KeyContext caller, HttpRequest request, out string? keyId)
    {
        var requested = request.Query["key"].ToString();
        keyId = requested.Length > 0 ? requested : null;
        if (caller.IsMaster)
        {
            return null;
        }

        if (keyId is not null && keyId != caller.KeyId)
        {
            return ApiError.Forbidden("A virtual key can read only its own requests and usage.");
        }

        keyId = caller.KeyId;
        return null;
    }

    /// <summary>Reads <c>from</c> and <c>to</c> (dates or date-times, UTC unless an offset is given); <c>from</c> must be before <c>to</c>.</summary>
    public static ApiError? Range(HttpRequest request, out DateTimeOffset? from, out DateTimeOffset? to)
    {
        var q = request.Query;
        to = null;
        if (!UsageEndpoint.TryDate(q["from"], out from) || !UsageEndpoint.TryDate(q["to"], out to))
        {
            return ApiError.BadRequest("'from' and 'to' must be dates (2026-11-01) or date-times (2026-11-01T12:00:00Z).", q.ContainsKey("from") && !UsageEndpoint.TryDate(q["from"], out _) ? "from" : "to");
        }

        return from is { } f && to is { } t && f >= t ? ApiError.BadRequest("'from' must be before 'to'.", "from") : null;
    }

    /// <summary>The optional non-empty single value of a query parameter.</summary>
    public static string? Optional(StringValues values) => values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
