using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Errors;

namespace Tollgate.Gateway.Admin;

/// <summary>
/// <c>GET /v1/cost?model=A&amp;model=B&amp;input=N[&amp;cached=N&amp;cache_write=N&amp;cache_write_1h=N]&amp;output=N[&amp;tier=]</c>: the
/// price calculator of <c>tollgate cost</c> for up to 20 models side by side, from the catalog, in decimal.
/// <c>input</c> counts all prompt tokens, cached ones included. A model that is unknown or not sold at the tier gets
/// an <c>error</c> in its row instead of a cost; any key may call it.
/// </summary>
internal sealed class CostEndpoint(Authenticator authenticator, ModelCatalog catalog)
{
    private const int MaxModels = 20;

    public async Task GetAsync(HttpContext context)
    {
        if (authenticator.Authenticate(context, out var error) is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var q = context.Request.Query;
        var models = q["model"];
        ApiError? refused = models.Count is 0 or > MaxModels ? ApiError.BadRequest($"Name 1 to {MaxModels} models with 'model' (repeat it to compare).", "model") : null;
        long input = 0, cached = 0, write5m = 0, write1h = 0, output = 0;
        refused ??= Count(q["input"], "input", required: true, out input)
            ?? Count(q["cached"], "cached", required: false, out cached)
            ?? Count(q["cache_write"], "cache_write", required: false, out write5m)
            ?? Count(q["cache_write_1h"], "cache_write_1h", required: false, out write1h)
            ?? Count(q["output"], "output", required: true, out output);
        if (refused is null && cached + write5m + write1h > input)
        {
            refused = ApiError.BadRequest("cached + cache_write + cache_write_1h cannot exceed input, which counts all prompt tokens.", "input");
        }

        var tier = AdminRequest.Optional(q["tier"]) switch
        {
            null or "standard" => ServiceTier.Standard,
            "batch" => ServiceTier.Batch,
            "flex" => ServiceTier.Flex,
            "priority" => ServiceTier.Priority,
            _ => (ServiceTier)(-1),
        };
        if (refused is null && tier < 0)
        {
            refused = ApiError.BadRequest("'tier' must be standard, batch, flex or priority.", "tier");
        }

        if (refused is not null)
        {
            await refused.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var usage = new TokenUsage
        {
            InputTokens = input - cached - write5m - write1h,
            CacheReadTokens = cached,
            CacheWrite5mTokens = write5m,
            CacheWrite1hTokens = write1h,
            OutputTokens = output,
        };
        context.Response.ContentType = "application/json";
        var w = new Utf8JsonWriter(context.Response.BodyWriter);
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteString("tier", tier.ToString().ToLowerInvariant());
        w.WriteStartArray("data");
        foreach (var name in models)
        {
            w.WriteStartObject();
            w.WriteString("model", name);
            var model = Find(name ?? "");
            if (model is null)
            {
                w.WriteString("error", $"The catalog has no model '{name}' (GET /v1/models lists them).");
            }
            else if (!CostCalculator.Offers(model, tier))
            {
                w.WriteString("error", $"{model.Id} has no {tier.ToString().ToLowerInvariant()} prices.");
            }
            else
            {
                var cost = CostCalculator.Calculate(model, usage, tier);
                w.WriteString("id", model.Id);
                w.WriteNumber("cost", Money.Normalize(cost.Total));
                CostJson.WriteParts(w, "breakdown", cost);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>provider/model</c>, or a bare name that exactly one catalog entry has.</summary>
    private ModelEntry? Find(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && catalog.Find(name[..slash], name[(slash + 1)..]) is { } exact)
        {
            return exact;
        }

        var named = catalog.FindByName(name);
        return named.Count == 1 ? named[0] : null;
    }

    private static ApiError? Count(StringValues raw, string name, bool required, out long value)
    {
        value = 0;
        if (AdminRequest.Optional(raw) is not { } text)
        {
            return required ? ApiError.BadRequest($"'{name}' is required: a token count.", name) : null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= 100_000_000_000
            ? null
            : ApiError.BadRequest($"'{name}' must be a token count (a whole number from 0).", name);
    }
}
