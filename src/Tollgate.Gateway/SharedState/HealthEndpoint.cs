using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tollgate.Gateway.SharedState;

/// <summary><c>GET /health</c>: up, and where the ledger, keys, limits and budgets are kept (never a password).</summary>
internal sealed class HealthEndpoint(StorageEngines engines)
{
    public async Task GetAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        await using var w = new Utf8JsonWriter(context.Response.Body);
        w.WriteStartObject();
        w.WriteString("status", "ok");
        w.WriteString("database", engines.DatabaseDisplay);
        w.WriteString("redis", engines.Redis?.Display);
        if (engines.Redis is { } redis)
        {
            w.WriteBoolean("redis_connected", redis.IsConnected);
        }

        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
