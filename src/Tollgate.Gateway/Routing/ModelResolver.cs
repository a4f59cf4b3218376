using Tollgate.Core.Catalog;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Routing;

/// <summary>
/// Resolves the client's model name. <c>provider/model</c> always works (the model part may hold slashes
/// itself) and is forwarded even when the catalog does not know it; a bare name resolves through the
/// catalog when exactly one enabled provider serves it.
/// </summary>
internal sealed class ModelResolver(ModelCatalog catalog, UpstreamRegistry upstreams)
{
    public Route? Resolve(string model, out ApiError? error)
    {
        error = null;
        var slash = model.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && slash < model.Length - 1)
        {
            var providerId = model[..slash];
            var name = model[(slash + 1)..];
            if (upstreams.Find(providerId) is { } upstream)
            {
                return new Route(upstream, name, catalog.Find(upstream.Id, name));
            }

            if (IsKnownProvider(providerId))
            {
                error = ApiError.NotFound($"The provider '{providerId}' is not configured on this gateway (set {providerId.ToUpperInvariant()}_API_KEY). GET /v1/models lists what is available.", "model", "provider_not_configured");
                return null;
            }
        }

        var candidates = catalog.FindByName(model);
        Route? found = null;
        var ambiguous = new List<string>();
        foreach (var entry in candidates)
        {
            if (upstreams.Find(entry.Provider) is not { } upstream)
            {
                continue;
            }

            if (found is not null && !ReferenceEquals(found.Model, entry))
            {
                ambiguous.Add(entry.Id);
                continue;
            }

            found = new Route(upstream, model, entry);
        }

        if (found is not null && ambiguous.Count > 0)
        {
            ambiguous.Insert(0, found.ModelId);
            error = ApiError.BadRequest($"The model name '{model}' is served by several providers: {string.Join(", ", ambiguous)}. Name one as provider/model.", "model", "ambiguous_model");
            return null;
        }

        if (found is not null)
        {
            return found;
        }

        if (slash > 0)
        {
            error = ApiError.NotFound($"Unknown provider '{model[..slash]}' in model '{model}'. Use provider/model with a configured provider; GET /v1/models lists the models.", "model");
        }
        else if (candidates.Count > 0)
        {
            error = ApiError.NotFound($"The model '{model}' is served by {candidates[0].Provider}, which is not configured on this gateway (set {candidates[0].Provider.ToUpperInvariant()}_API_KEY).", "model", "provider_not_configured");
        }
        else
        {
            error = ApiError.NotFound($"The model '{model}' does not exist in the catalog. GET /v1/models lists the models; 'provider/model' reaches any model of a configured provider.", "model");
        }

        return null;
    }

    private bool IsKnownProvider(string id) =>
        Array.Exists(KnownProviders.All, k => k.Id.Equals(id, StringComparison.OrdinalIgnoreCase))
        || catalog.Models.Any(m => m.Provider.Equals(id, StringComparison.OrdinalIgnoreCase));
}
