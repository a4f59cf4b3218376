using System.Collections.Concurrent;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Resilience;

/// <summary>
/// What the gateway learns of each deployment from its own traffic (YARP's passive health): requests in flight, for
/// <c>least_busy</c>, and the EWMA of time to first token, for <c>latency</c>. Keyed by <see cref="Route.DeploymentId"/>,
/// so groups listing the same deployment share it. Thread-safe.
/// </summary>
internal sealed class PassiveHealth(double alpha = PassiveHealth.DefaultAlpha)
{
    /// <summary>The weight of a new sample in the moving average: about the last five samples count.</summary>
    public const double DefaultAlpha = 0.3;

    private readonly ConcurrentDictionary<string, DeploymentHealth> _byId = new(StringComparer.Ordinal);

    /// <summary>Counts a request in flight to <paramref name="deployment"/> until the lease is disposed.</summary>
    public InFlightLease Lease(Route deployment) => new(For(deployment));

    public int InFlight(Route deployment) => Find(deployment)?.InFlight ?? 0;

    /// <summary>
    /// Records the time from sending to the response headers (a whole body) or to the first event (a stream). A
    /// timeout is worth recording too, as the time waited, so a deployment that hangs stops looking fast.
    /// </summary>
    public void RecordTimeToFirstToken(Route deployment, TimeSpan elapsed) => For(deployment).Record(elapsed, alpha);

    /// <summary>The moving average of time to first token; null while the deployment has not answered yet.</summary>
    public TimeSpan? TimeToFirstToken(Route deployment) => Find(deployment)?.TimeToFirstToken;

    internal DeploymentHealth For(Route deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return _byId.GetOrAdd(deployment.DeploymentId, static _ => new DeploymentHealth());
    }

    private DeploymentHealth? Find(Route deployment) => _byId.GetValueOrDefault(deployment.DeploymentId);
}
