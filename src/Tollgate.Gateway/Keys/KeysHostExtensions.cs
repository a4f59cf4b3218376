using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Billing;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Public;
using Tollgate.Storage;

namespace Tollgate.Gateway.Keys;

/// <summary>Wires virtual keys, admission (limits and budgets), billing, usage and public mode into the host.</summary>
internal static class KeysHostExtensions
{
    public static IServiceCollection AddTollgateKeys(this IServiceCollection services, GatewayOptions options)
    {
        services.AddSingleton<KeyCache>();
        services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<KeyCache>());
        services.AddSingleton<KeyService>();
        // IKeyStore, ILimitStore and BudgetTracker come from AddTollgateStorage: SQLite and memory, or PostgreSQL and Redis.
        services.AddSingleton<AdmissionControl>();
        services.AddSingleton<ClientAddressResolver>();
        services.AddSingleton<CorsMiddleware>();
        services.AddSingleton<KeysEndpoints>();
        services.AddSingleton<BillingEndpoints>();
        services.AddSingleton<UsageEndpoint>();
        return services;
    }

    /// <summary>Loads the keys and each budget's spend this period before the first request is served.</summary>
    public static void LoadKeysAndBudgets(this WebApplication app)
    {
        app.Services.GetRequiredService<KeyCache>().ReloadAsync().GetAwaiter().GetResult();
        try
        {
            app.Services.GetRequiredService<AdmissionControl>().LoadAsync().GetAwaiter().GetResult();
        }
        catch (SharedStateUnavailableException ex)
        {
            // Redis is not up yet: budgeted requests get 503 until it is, and the reconciler seeds them then.
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tollgate.Gateway").LogWarning("Budgets not loaded into Redis at start: {Reason}", ex.Message);
        }
    }

    /// <summary>CORS runs first so preflights and error responses carry the right headers.</summary>
    public static void UseTollgateCors(this WebApplication app)
    {
        var cors = app.Services.GetRequiredService<CorsMiddleware>();
        app.Use((context, next) => cors.InvokeAsync(context, next));
    }

    public static void MapTollgateKeys(this WebApplication app)
    {
        var keys = app.Services.GetRequiredService<KeysEndpoints>();
        var billing = app.Services.GetRequiredService<BillingEndpoints>();
        var usage = app.Services.GetRequiredService<UsageEndpoint>();
        app.MapPost("/v1/keys", keys.CreateAsync);
        app.MapGet("/v1/keys", keys.ListAsync);
        app.MapMethods("/v1/keys/{prefix}", ["PATCH"], (HttpContext c, string prefix) => keys.UpdateAsync(c, prefix));
        app.MapDelete("/v1/keys/{prefix}", (HttpContext c, string prefix) => keys.DeleteAsync(c, prefix));
        app.MapGet("/v1/key", keys.GetOwnAsync);
        app.MapGet("/v2/billing", billing.BalanceAsync);
        app.MapGet("/v2/billing/detail", billing.DetailAsync);
        app.MapGet("/v1/billing/balance", billing.LegacyBalanceAsync);
        app.MapGet("/v1/usage", usage.GetAsync);
    }
}
