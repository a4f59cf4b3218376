using Microsoft.Extensions.DependencyInjection;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Routing;

/// <summary>Registers the routing services: the <see cref="ModelResolver"/> and the process-wide <see cref="Router"/>.</summary>
internal static class RoutingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ModelResolver"/> and <see cref="Router"/> as singletons; needs <see cref="GatewayOptions"/>,
    /// the catalog, the upstream registry and a <see cref="TimeProvider"/> registered.
    /// </summary>
    public static IServiceCollection AddTollgateRouting(this IServiceCollection services)
    {
        services.AddSingleton<ModelResolver>();
        services.AddSingleton(static sp =>
        {
            // With Redis, provider quotas and open circuits hold across instances.
            var redis = sp.GetService<SharedState.StorageEngines>()?.Redis;
            return new Router(sp.GetRequiredService<GatewayOptions>().Routing, sp.GetRequiredService<TimeProvider>(), quotas: redis?.Quotas, circuits: redis?.Circuits);
        });
        return services;
    }
}
