using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Core.Catalog;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Endpoints;

/// <summary>
/// <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: OpenAI's list shape, with limits, prices and sources added
/// (<see cref="ModelJson"/>). <c>{id}</c> is resolved as chat resolves a model name, so every name chat accepts
/// (<c>provider/model</c>, an alias, a bare name one enabled provider serves) finds its entry.
/// </summary>
internal sealed class ModelsEndpoints(ModelCatalog catalog, UpstreamRegistry upstreams, Authenticator authenticator, ModelResolver resolver)
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
        ModelJson.WriteList(writer, catalog.Models.Where(m => upstreams.IsEnabled(m.Provider)));
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
        var route = resolver.Resolve(id, out var resolveError);
        if (route is null)
        {
            // The resolver's own error, as chat would answer: ambiguous (400, naming the providers), unknown, or a
            // provider that is not configured (404).
            await resolveError!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        // provider/model of an enabled provider resolves even when the catalog does not know the model (chat forwards
        // it unpriced), but there is no entry to show.
        if (route.Model is not { } model)
        {
            await ApiError.NotFound($"The model '{id}' does not exist or its provider is not configured. GET /v1/models lists the models.", "model").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        ModelJson.Write(writer, model);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
