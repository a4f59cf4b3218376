using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Public;

/// <summary>
/// CORS for browser pages: an allow-list of origins. A listed origin is echoed back in
/// <c>Access-Control-Allow-Origin</c> (with <c>Vary: Origin</c>); <c>*</c> in the list answers <c>*</c>.
/// Credentials are never allowed, so a wildcard never meets cookies. Preflights (<c>OPTIONS</c> with
/// <c>Access-Control-Request-Method</c>) are answered here: 204 for an allowed origin, 403 otherwise.
/// </summary>
internal sealed class CorsMiddleware(GatewayOptions options)
{
    private const string AllowedMethods = "GET, POST, PATCH, DELETE, OPTIONS";
    private const string DefaultHeaders = "authorization, content-type, x-api-key";
    private const string ExposedHeaders = "x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests, x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens, retry-after, x-tollgate-request-id, x-tollgate-provider";
    private readonly HashSet<string> _origins = new(options.Public.CorsOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return next(context);
        }

        var allowed = Allowed(origin);
        var preflight = HttpMethods.IsOptions(context.Request.Method) && context.Request.Headers.ContainsKey("Access-Control-Request-Method");
        if (preflight)
        {
            if (allowed is null)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }

            var h = context.Response.Headers;
            h.AccessControlAllowOrigin = allowed;
            h.Vary = "Origin";
            h.AccessControlAllowMethods = AllowedMethods;
            var requested = context.Request.Headers.AccessControlRequestHeaders.ToString();
            h.AccessControlAllowHeaders = requested.Length > 0 ? requested : DefaultHeaders;
            h.AccessControlMaxAge = "600";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        if (allowed is not null)
        {
            context.Response.Headers.AccessControlAllowOrigin = allowed;
            context.Response.Headers.Vary = "Origin";
            context.Response.Headers.AccessControlExposeHeaders = ExposedHeaders;
        }

        return next(context);
    }

    private string? Allowed(string origin) =>
        _origins.Contains(origin) ? origin : _origins.Contains("*") ? "*" : null;
}
