using System.Collections.Concurrent;
using System.Collections.Frozen;
using Tollgate.Core.Catalog;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Routing;

/// <summary>
/// Resolves the client's model name to a <see cref="RoutePlan"/>. In this order: a model group of <c>models</c> (by
/// name or alias) wins; then <c>provider/model</c> names one deployment directly (the model part may hold slashes
/// itself) and is forwarded even when the catalog does not know it; then a bare name resolves through the catalog
/// when exactly one enabled provider serves it. Plans are immutable and cached per name.
/// </summary>
internal sealed class ModelResolver
{
    // provider/model accepts any model name, so a client could grow the cache without end: past this many plans new
    // names are resolved every time instead of cached.
    private const int MaxCachedPlans = 4096;

    private readonly ModelCatalog _catalog;
    private readonly UpstreamRegistry _upstreams;
    private readonly FrozenDictionary<string, ModelGroupSettings> _groupSettings;
    private readonly FrozenDictionary<string, RouteGroup?> _groups;
    // Case-sensitive: the provider receives the client's own spelling of a catalog or provider/model name.
    private readonly ConcurrentDictionary<string, RoutePlan> _plans = new(StringComparer.Ordinal);

    public ModelResolver(ModelCatalog catalog, UpstreamRegistry upstreams, GatewayOptions options)
    {
        _catalog = catalog;
        _upstreams = upstreams;
        var settings = new Dictionary<string, ModelGroupSettings>(StringComparer.OrdinalIgnoreCase);
        var groups = new Dictionary<string, RouteGroup?>(StringComparer.OrdinalIgnoreCase);
        foreach (var g in options.Models)
        {
            var group = BuildGroup(g);
            foreach (var name in g.Aliases.Prepend(g.Name))
            {
                settings[name] = g;
                groups[name] = group;
            }
        }

        _groupSettings = settings.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _groups = groups.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The first deployment <paramref name="model"/> resolves to, or null with the error for the client.</summary>
    public Route? Resolve(string model, out ApiError? error) => ResolvePlan(model, out error)?.Primary;

    /// <summary>The plan for <paramref name="model"/> (cached), or null with the error for the client.</summary>
    public RoutePlan? ResolvePlan(string model, out ApiError? error)
    {
        ArgumentNullException.ThrowIfNull(model);
        error = null;
        if (_plans.TryGetValue(model, out var cached))
        {
            return cached;
        }

        var first = ResolveGroup(model, out error);
        if (first is null)
        {
            return null;
        }

        var plan = BuildPlan(model, [first]);
        if (_plans.Count < MaxCachedPlans)
        {
            _plans.TryAdd(model, plan);
        }

        return plan;
    }

    /// <summary>
    /// The plan for <paramref name="model"/> followed by the request's own fallbacks (OpenRouter's <c>models</c> array),
    /// each resolved like a model name and each group kept once. An entry that does not resolve is the client's error.
    /// </summary>
    public RoutePlan? ResolvePlan(string model, IReadOnlyList<string>? models, out ApiError? error)
    {
        var plan = ResolvePlan(model, out error);
        if (plan is null || models is null || models.Count == 0)
        {
            return plan;
        }

        var groups = new List<RouteGroup>(plan.GroupArray);
        var context = new List<RouteGroup>(plan.ContextFallbackArray);
        foreach (var name in models)
        {
            var extra = ResolvePlan(name, out error);
            if (extra is null)
            {
                return null;
            }

            AddNew(groups, extra.GroupArray);
            AddNew(context, extra.ContextFallbackArray);
        }

        return new RoutePlan(model, [.. groups], [.. context]);
    }

    private static void AddNew(List<RouteGroup> list, RouteGroup[] groups)
    {
        foreach (var g in groups)
        {
            if (!Contains(list, g))
            {
                list.Add(g);
            }
        }
    }

    // By name: a group from models has one canonical name (aliases resolve to it), a catalog name or provider/model
    // is its own group, built anew wherever it is referenced.
    private static bool Contains(List<RouteGroup> list, RouteGroup group) =>
        list.Exists(g => g.Name.Equals(group.Name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The named group's fallbacks follow it breadth first; context fallbacks of every group, with their own fallbacks, form the second list.</summary>
    private RoutePlan BuildPlan(string model, RouteGroup[] start)
    {
        var groups = new List<RouteGroup>(start);
        ExpandFallbacks(groups, 0);
        var context = new List<RouteGroup>();
        foreach (var g in groups)
        {
            if (_groupSettings.TryGetValue(g.Name, out var s))
            {
                AddReferences(context, s.ContextFallbacks);
            }
        }

        ExpandFallbacks(context, 0);
        return new RoutePlan(model, [.. groups], [.. context]);
    }

    private void ExpandFallbacks(List<RouteGroup> groups, int from)
    {
        // The list grows as it is walked: breadth first, and each group is added once, so cycles end.
        for (var i = from; i < groups.Count; i++)
        {
            if (_groupSettings.TryGetValue(groups[i].Name, out var s))
            {
                AddReferences(groups, s.Fallbacks);
            }
        }
    }

    // A fallback that cannot be served here (its provider has no key on this gateway) is passed over, not an error:
    // the configuration was validated at load, and the request may still succeed on the rest.
    private void AddReferences(List<RouteGroup> list, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (ResolveGroup(name, out _) is { } g && !Contains(list, g))
            {
                list.Add(g);
            }
        }
    }

    private RouteGroup? ResolveGroup(string model, out ApiError? error)
    {
        error = null;
        if (_groups.TryGetValue(model, out var configured))
        {
            if (configured is null)
            {
                var s = _groupSettings[model];
                var missing = string.Join(", ", s.Deployments.Select(d => d.Provider).Distinct(StringComparer.OrdinalIgnoreCase));
                error = ApiError.NotFound($"No deployment of the model group '{s.Name}' is on a configured provider ({missing}: set its API key). GET /v1/models lists what is available.", "model", "provider_not_configured");
            }

            return configured;
        }

        return ResolveCatalogName(model, out error) is { } route ? new RouteGroup(model, RoutingStrategyKind.Priority, [route]) : null;
    }

    private RouteGroup? BuildGroup(ModelGroupSettings g)
    {
        var routes = new List<Route>(g.Deployments.Count);
        foreach (var d in g.Deployments)
        {
            if (_upstreams.Find(d.Provider) is not { } upstream)
            {
                continue;
            }

            var entry = _catalog.Find(upstream.Id, d.Model) ?? (g.Prices is { } prices
                ? new ModelEntry { Provider = upstream.Id, Model = d.Model, Prices = prices, ContextWindow = g.ContextWindow, MaxOutput = g.MaxOutput }
                : null);
            routes.Add(new Route(upstream, d.Model, entry) { Weight = d.Weight, Group = g.Name });
        }

        return routes.Count == 0 ? null : new RouteGroup(g.Name, g.Strategy, [.. routes]);
    }

    private Route? ResolveCatalogName(string model, out ApiError? error)
    {
        error = null;
        var slash = model.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && slash < model.Length - 1)
        {
            var providerId = model[..slash];
            var name = model[(slash + 1)..];
            if (_upstreams.Find(providerId) is { } upstream)
            {
                return new Route(upstream, name, _catalog.Find(upstream.Id, name));
            }

            if (IsKnownProvider(providerId))
            {
                error = ApiError.NotFound($"The provider '{providerId}' is not configured on this gateway (set {providerId.ToUpperInvariant()}_API_KEY). GET /v1/models lists what is available.", "model", "provider_not_configured");
                return null;
            }
        }

        var candidates = _catalog.FindByName(model);
        Route? found = null;
        var ambiguous = new List<string>();
        foreach (var entry in candidates)
        {
            if (_upstreams.Find(entry.Provider) is not { } upstream)
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
            error = ApiError.NotFound($"The model '{model}' does not exist in the catalog. To serve it, add it to tollgate.json's models section with a deployment and its prices (docs/ROUTING.md); GET /v1/models lists the models; 'provider/model' reaches any model of a configured provider.", "model");
        }

        return null;
    }

    private bool IsKnownProvider(string id) =>
        KnownProviders.IsKnown(id) || _catalog.Models.Any(m => m.Provider.Equals(id, StringComparison.OrdinalIgnoreCase));
}
