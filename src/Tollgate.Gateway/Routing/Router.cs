using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Resilience;
using Tollgate.Storage.Circuits;
using Tollgate.Storage.Quotas;

namespace Tollgate.Gateway.Routing;

/// <summary>
/// The routing state of the gateway, one per process: passive health, circuit breakers and quotas of every
/// deployment (shared with the other instances when the shared stores are given),
/// the strategies and the retry policy. <see cref="Start"/> begins the attempts of one request.
/// </summary>
internal sealed class Router
{
    public Router(RoutingOptions options, TimeProvider time, Random? random = null, IQuotaStore? quotas = null, ICircuitStore? circuits = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        Options = options;
        Time = time;
        Random = random ?? Random.Shared;
        Health = new PassiveHealth();
        Breakers = new CircuitBreakers(options.Breaker, time, circuits);
        Quotas = new ProviderQuotas(time, quotas);
        Selector = new DeploymentSelector(Health, Breakers, Quotas, Random);
        Retry = new RetryPolicy(options);
    }

    public RoutingOptions Options { get; }

    public TimeProvider Time { get; }

    /// <summary>The source of every random choice (weighted picks, ties, exploration, jitter).</summary>
    public Random Random { get; }

    public PassiveHealth Health { get; }

    public CircuitBreakers Breakers { get; }

    public ProviderQuotas Quotas { get; }

    public DeploymentSelector Selector { get; }

    public RetryPolicy Retry { get; }

    /// <summary>Begins the attempts of one request; <paramref name="deadline"/> bounds every wait.</summary>
    public RouteAttempts Start(RoutePlan plan, in RoutingRequest request, DateTimeOffset deadline)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new RouteAttempts(this, plan, request, deadline);
    }
}
