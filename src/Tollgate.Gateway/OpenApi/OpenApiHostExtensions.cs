using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Tollgate.Gateway.OpenApi;

/// <summary><c>GET /openapi/v1.json</c>: an OpenAPI 3.1 document of Tollgate's own API (Microsoft.AspNetCore.OpenApi).</summary>
internal static class OpenApiHostExtensions
{
    public static IServiceCollection AddTollgateOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", static o => o.AddDocumentTransformer<RouteDocumentTransformer>());

    public static void MapTollgateOpenApi(this WebApplication app) => app.MapOpenApi("/openapi/{documentName}.json");
}
