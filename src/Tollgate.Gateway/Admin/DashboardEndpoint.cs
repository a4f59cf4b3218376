using Microsoft.AspNetCore.Http;

namespace Tollgate.Gateway.Admin;

/// <summary>
/// Serves the dashboard at <c>/ui/</c>. Every response carries a Content-Security-Policy that allows scripts, styles
/// and requests from this origin only (no inline script, no remote origin), with <c>nosniff</c>, no framing and no
/// referrer: the page renders what clients control (key names, model names, replies) as text, and the policy is
/// the second wall should that ever slip.
/// </summary>
internal sealed class DashboardEndpoint(DashboardAssets assets)
{
    /// <summary>The policy of every <c>/ui/</c> response.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public Task GetAsync(HttpContext context, string? path)
    {
        if (!context.Request.Path.Value!.EndsWith('/') && string.IsNullOrEmpty(path))
        {
            context.Response.Redirect("/ui/");
            return Task.CompletedTask;
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";

        path = string.IsNullOrEmpty(path) ? "index.html" : path;
        if (!assets.Files.TryGetValue(path, out var asset))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(assets.Files.Count == 0
                ? "The dashboard is not in this build: it is built with Node.js 20+ and npm (see README.md, 'Set up')."
                : $"No dashboard file /ui/{path}.");
        }

        headers.ETag = asset.ETag;
        headers.CacheControl = asset.Immutable ? "public, max-age=31536000, immutable" : "no-cache";
        headers.Vary = "Accept-Encoding";
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        context.Response.ContentType = asset.ContentType;
        var body = asset.Body;
        if (asset.Gzip is { } gzip && AcceptsGzip(context.Request))
        {
            headers.ContentEncoding = "gzip";
            body = gzip;
        }

        context.Response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static bool AcceptsGzip(HttpRequest request)
    {
        foreach (var value in request.Headers.AcceptEncoding)
        {
            if (value is not null && value.Contains("gzip", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
