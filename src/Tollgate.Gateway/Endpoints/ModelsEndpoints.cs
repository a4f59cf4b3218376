using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Endpoints;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: OpenAI's list shape, with limits and prices added.</summary>
internal sealed class ModelsEndpoints(ModelCatalog catalog, UpstreamRegistry upstreams, Authenticator authenticator)
{
    public async Task ListAsync(HttpContext context)
    {
        if (authenticator.Authenticate(context, out var error) is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        foreach (var model in catalog.Models)
        {
            if (upstreams.IsEnabled(model.Provider))
            {
                Write(writer, model);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public async Task GetAsync(HttpContext context, string id)
    {
        if (authenticator.Authenticate(context, out var error) is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        // Clients that encode the path parameter (the openai npm package does) send provider%2Fmodel; Kestrel leaves
        // an encoded slash encoded, so decode it here.
        id = id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        var model = slash > 0 ? catalog.Find(id[..slash], id[(slash + 1)..]) : null;
        if (model is null || !upstreams.IsEnabled(model.Provider))
        {
            await ApiError.NotFound($"The model '{id}' does not exist or its provider is not configured. GET /v1/models lists the models.", "model").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        Write(writer, model);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static void Write(Utf8JsonWriter writer, ModelEntry model)
    {
        writer.WriteStartObject();
        writer.WriteString("id", model.Id);
        writer.WriteString("object", "model");
        writer.WriteNumber("created", 0);
        writer.WriteString("owned_by", model.Provider);
        writer.WriteString("mode", model.Mode);
        WriteNullable(writer, "context_length", model.ContextWindow);
        WriteNullable(writer, "max_output_tokens", model.MaxOutput);
        writer.WriteStartObject("pricing");
        writer.WriteNumber("input", Money.Normalize(model.Prices.Input));
        writer.WriteNumber("cached_input", Money.Normalize(model.Prices.CachedInput ?? model.Prices.Input));
        writer.WriteNumber("output", Money.Normalize(model.Prices.Output));
        writer.WriteEndObject();
        if (model.Capabilities.Count > 0)
        {
            writer.WriteStartArray("capabilities");
            foreach (var c in model.Capabilities)
            {
                writer.WriteStringValue(c);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
