namespace Tollgate.Storage.Circuits;

/// <summary>
/// Circuit-breaker state shared by several gateway instances: when one instance opens a deployment's circuit, the
/// others learn "open until T" and pass the deployment over until then. Each instance's breaker still counts its own
/// failures; only the opening is shared.
/// </summary>
public interface ICircuitStore
{
    /// <summary>Announces that <paramref name="deployment"/>'s circuit is open until <paramref name="until"/> (a later time already known wins).</summary>
    /// <exception cref="SharedStateUnavailableException">The store cannot be reached.</exception>
    Task OpenAsync(string deployment, DateTimeOffset until);

    /// <summary>
    /// Calls <paramref name="opened"/> with every circuit open now and, from then on, with each one any instance opens
    /// (this one too). A store that cannot be reached at the time delivers what it learns once it can.
    /// </summary>
    void Subscribe(Action<string, DateTimeOffset> opened);
}
