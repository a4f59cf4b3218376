using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Relay;
using Tollgate.Storage.Keys;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Keys;

/// <summary>
/// The key management API of seed 004: <c>POST/GET /v1/keys</c>, <c>PATCH/DELETE /v1/keys/{prefix}</c> with the
/// master key (virtual keys get 403), and <c>GET /v1/key</c> for a virtual key's own parameters.
/// </summary>
internal sealed class KeysEndpoints(Authenticator authenticator, KeyService service, IKeyStore store, KeyCache cache, AdmissionControl admission, ILedger ledger, TimeProvider time)
{
    private const int MaxBodyBytes = 64 * 1024;

    public async Task CreateAsync(HttpContext context)
    {
        if (await RequireMasterAsync(context).ConfigureAwait(false) is false)
        {
            return;
        }

        var edits = await ReadEditsAsync(context).ConfigureAwait(false);
        if (edits is null)
        {
            return;
        }

        var (key, secret) = await service.CreateAsync(edits, context.RequestAborted).ConfigureAwait(false);
        await cache.ReloadAsync(context.RequestAborted).ConfigureAwait(false);
        await WriteDataAsync(context, w => KeyJson.Write(w, key, 0m, secret)).ConfigureAwait(false);
    }

    public async Task ListAsync(HttpContext context)
    {
        if (await RequireMasterAsync(context).ConfigureAwait(false) is false)
        {
            return;
        }

        var keys = await store.ListAsync(cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var usage = await MonthlyUsageAsync(null, context.RequestAborted).ConfigureAwait(false);
        await WriteDataAsync(context, w =>
        {
            w.WriteStartArray();
            foreach (var key in keys)
            {
                KeyJson.Write(w, key, usage.GetValueOrDefault(key.Prefix));
            }

            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    public async Task UpdateAsync(HttpContext context, string prefix)
    {
        if (await RequireMasterAsync(context).ConfigureAwait(false) is false)
        {
            return;
        }

        var edits = await ReadEditsAsync(context).ConfigureAwait(false);
        if (edits is null)
        {
            return;
        }

        var key = await service.UpdateAsync(prefix, edits, context.RequestAborted).ConfigureAwait(false);
        if (key is null)
        {
            await NotFound(prefix).WriteAsync(context).ConfigureAwait(false);
            return;
        }

        await cache.ReloadAsync(context.RequestAborted).ConfigureAwait(false);
        if (key.Threshold is not null)
        {
            // The period may have changed with the retention: its spend comes from the ledger before this answer.
            await admission.SeedAsync(key, context.RequestAborted).ConfigureAwait(false);
        }

        var usage = await MonthlyUsageAsync(prefix, context.RequestAborted).ConfigureAwait(false);
        await WriteDataAsync(context, w => KeyJson.Write(w, key, usage.GetValueOrDefault(prefix))).ConfigureAwait(false);
    }

    public async Task DeleteAsync(HttpContext context, string prefix)
    {
        if (await RequireMasterAsync(context).ConfigureAwait(false) is false)
        {
            return;
        }

        if (!await service.DeleteAsync(prefix, context.RequestAborted).ConfigureAwait(false))
        {
            await NotFound(prefix).WriteAsync(context).ConfigureAwait(false);
            return;
        }

        await cache.ReloadAsync(context.RequestAborted).ConfigureAwait(false);
        await WriteDataAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("prefix", prefix);
            w.WriteBoolean("deleted", true);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary><c>GET /v1/key</c>: the calling virtual key's own parameters.</summary>
    public async Task GetOwnAsync(HttpContext context)
    {
        var caller = authenticator.Authenticate(context, out var error);
        if (caller is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        if (caller.Virtual is not { } key)
        {
            await ApiError.BadRequest("GET /v1/key describes the virtual key that calls it; the master key has no key parameters (GET /v1/keys lists the keys).").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var usage = await MonthlyUsageAsync(key.Prefix, context.RequestAborted).ConfigureAwait(false);
        await WriteDataAsync(context, w => KeyJson.Write(w, key, usage.GetValueOrDefault(key.Prefix))).ConfigureAwait(false);
    }

    private async Task<bool> RequireMasterAsync(HttpContext context)
    {
        var caller = authenticator.Authenticate(context, out var error);
        if (caller is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return false;
        }

        if (!caller.IsMaster)
        {
            await ApiError.Forbidden("Key management needs the master key (the management key); a virtual key cannot create, list, change or delete keys.").WriteAsync(context).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    private async Task<Dictionary<string, decimal>> MonthlyUsageAsync(string? prefix, CancellationToken cancellationToken)
    {
        var start = BudgetPeriod.Start(KeyRetention.Month, time.GetUtcNow());
        var rows = await ledger.SummarizeAsync(new UsageQuery { From = start, KeyId = prefix, GroupBy = UsageGroup.Key }, cancellationToken).ConfigureAwait(false);
        var map = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Group is { } g)
            {
                map[g] = row.Cost;
            }
        }

        return map;
    }

    private static async Task<KeyEdits?> ReadEditsAsync(HttpContext context)
    {
        using var body = new PooledBufferWriter(4096);
        while (true)
        {
            var n = await context.Request.Body.ReadAsync(body.GetMemory(4096), context.RequestAborted).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            body.Advance(n);
            if (body.Count > MaxBodyBytes)
            {
                await new ApiError(StatusCodes.Status413PayloadTooLarge, "The request body is too large for a key.", "invalid_request_error").WriteAsync(context).ConfigureAwait(false);
                return null;
            }
        }

        var edits = KeyEdits.Parse(body.WrittenSpan, out var error);
        if (edits is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
        }

        return edits;
    }

    private static ApiError NotFound(string prefix) =>
        ApiError.NotFound($"No API key has the prefix '{prefix}'. GET /v1/keys lists the keys.", "prefix", "key_not_found");

    internal static async Task WriteDataAsync(HttpContext context, Action<Utf8JsonWriter> writeData)
    {
        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WritePropertyName("data");
        writeData(writer);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
