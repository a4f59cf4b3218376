using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Errors;
using Tollgate.Storage.Ledger;

using Tollgate.Core.Pricing;

namespace Tollgate.Gateway.Endpoints;

/// <summary><c>GET /v1/requests?limit=N</c> (master key): the newest ledger entries.</summary>
internal sealed class RequestsEndpoint(ILedger ledger, Authenticator authenticator)
{
    public async Task ListAsync(HttpContext context)
    {
        var key = authenticator.Authenticate(context, out var error);
        if (key is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        if (!key.IsMaster)
        {
            await ApiError.Forbidden("GET /v1/requests needs the master key.").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var limit = 50;
        if (context.Request.Query.TryGetValue("limit", out var raw))
        {
            if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > 10_000)
            {
                await ApiError.BadRequest("'limit' must be an integer from 1 to 10000.", "limit").WriteAsync(context).ConfigureAwait(false);
                return;
            }
        }

        var entries = await ledger.RecentAsync(limit, context.RequestAborted).ConfigureAwait(false);
        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        foreach (var e in entries)
        {
            writer.WriteStartObject();
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
            if (e.Cost is { } cost)
            {
                writer.WriteNumber("cost", Money.Normalize(cost));
            }
            else
            {
                writer.WriteNull("cost");
            }

            writer.WriteBoolean("estimated", e.Estimated);
            writer.WriteBoolean("unpriced", e.Unpriced);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
