namespace Tollgate.Gateway.Resilience;

/// <summary>
/// One request in flight to a deployment, counted from <see cref="PassiveHealth.Lease"/> until disposed. Hold it
/// around the send and the relay of the response (a stream is in flight until its last event). Disposing twice
/// counts once.
/// </summary>
internal sealed class InFlightLease : IDisposable
{
    private DeploymentHealth? _health;

    internal InFlightLease(DeploymentHealth health)
    {
        _health = health;
        health.Enter();
    }

    public void Dispose() => Interlocked.Exchange(ref _health, null)?.Exit();
}
