namespace Tollgate.Gateway.Routing;

/// <summary>
/// A group's deployments in the order to try them for one request, and what was passed over: when
/// <see cref="Deployments"/> is empty, <see cref="QuotaExhausted"/> and <see cref="CircuitOpen"/> say why (answer
/// 429 when only quotas stopped it, 503 when circuits did) and <see cref="AvailableAt"/> when one may be back
/// (for <c>Retry-After</c>), rather than trying nothing silently.
/// </summary>
internal readonly struct DeploymentOrder(IReadOnlyList<Route> deployments, int quotaExhausted, int circuitOpen, DateTimeOffset? availableAt)
{
    /// <summary>Available deployments, first to try first. Shared when nothing needed reordering: do not cast and change.</summary>
    public IReadOnlyList<Route> Deployments { get; } = deployments;

    /// <summary>Deployments passed over because their provider's quota (or a <c>Retry-After</c>) has no room.</summary>
    public int QuotaExhausted { get; } = quotaExhausted;

    /// <summary>Deployments passed over because their circuit is open.</summary>
    public int CircuitOpen { get; } = circuitOpen;

    /// <summary>The earliest time a passed-over deployment may have room or a closed circuit again.</summary>
    public DateTimeOffset? AvailableAt { get; } = availableAt;

    /// <summary>Every deployment of the group was passed over.</summary>
    public bool NoneAvailable => Deployments.Count == 0;
}
