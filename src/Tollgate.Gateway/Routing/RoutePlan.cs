namespace Tollgate.Gateway.Routing;

/// <summary>
/// What a request's model name resolves to: the groups to try in order (the named group, then its <c>fallbacks</c>,
/// breadth first and each group once however the fallbacks cycle, then the entries of the request's own <c>models</c>
/// array resolved the same way), and separately the groups to go to when a deployment answers that the prompt is too
/// long (<c>context_fallbacks</c>). Immutable and cached per model name; only the order within a group is per request.
/// </summary>
internal sealed class RoutePlan(string model, RouteGroup[] groups, RouteGroup[] contextFallbacks)
{
    /// <summary>The name the client asked for.</summary>
    public string Model { get; } = model;

    /// <summary>Never empty; the first is the group the client named.</summary>
    public IReadOnlyList<RouteGroup> Groups => groups;

    /// <summary>Tried in order instead of <see cref="Groups"/> after a context-length error; often empty.</summary>
    public IReadOnlyList<RouteGroup> ContextFallbacks => contextFallbacks;

    /// <summary>The first deployment of the first group: the route when nothing needs routing.</summary>
    public Route Primary => groups[0].Deployments[0];

    /// <summary>True when there is exactly one deployment and nowhere to fall back to: no routing decision to make.</summary>
    public bool IsSingle => groups.Length == 1 && groups[0].Deployments.Count == 1 && contextFallbacks.Length == 0;

    internal RouteGroup[] GroupArray => groups;

    internal RouteGroup[] ContextFallbackArray => contextFallbacks;
}
