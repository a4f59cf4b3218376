using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Gateway.OpenApi;

namespace Tollgate.Gateway.Admin;

/// <summary>Wires the request log, the usage series and latency, budgets, the price calculator, the dashboard at <c>/ui/</c> and the OpenAPI document.</summary>
internal static class AdminHostExtensions
{
    public static IServiceCollection AddTollgateAdmin(this IServiceCollection services)
    {
        services.AddSingleton<RequestsEndpoints>();
        services.AddSingleton<UsageSeriesEndpoint>();
        services.AddSingleton<LatencyEndpoint>();
        services.AddSingleton<BudgetsEndpoint>();
        services.AddSingleton<CostEndpoint>();
        services.AddSingleton<DashboardAssets>();
        services.AddSingleton<DashboardEndpoint>();
        services.AddTollgateOpenApi();
        return services;
    }

    public static void MapTollgateAdmin(this WebApplication app)
    {
        var requests = app.Services.GetRequiredService<RequestsEndpoints>();
        var series = app.Services.GetRequiredService<UsageSeriesEndpoint>();
        var latency = app.Services.GetRequiredService<LatencyEndpoint>();
        var budgets = app.Services.GetRequiredService<BudgetsEndpoint>();
        var cost = app.Services.GetRequiredService<CostEndpoint>();
        var dashboard = app.Services.GetRequiredService<DashboardEndpoint>();
        app.MapGet("/v1/requests", requests.ListAsync);
        app.MapGet("/v1/requests/{id}", (HttpContext c, string id) => requests.GetAsync(c, id));
        app.MapGet("/v1/usage/series", series.GetAsync);
        app.MapGet("/v1/usage/latency", latency.GetAsync);
        app.MapGet("/v1/budgets", budgets.ListAsync);
        app.MapGet("/v1/cost", cost.GetAsync);
        app.MapTollgateOpenApi();

        // The dashboard's page and files. The route also matches /ui (routing ignores a trailing slash), which
        // DashboardEndpoint redirects to /ui/, as it does /.
        app.MapGet("/", static (HttpContext c) =>
        {
            c.Response.Redirect("/ui/");
            return Task.CompletedTask;
        });
        app.MapMethods("/ui/{**path}", [HttpMethods.Get, HttpMethods.Head], (HttpContext c, string? path) => dashboard.GetAsync(c, path));
    }
}
