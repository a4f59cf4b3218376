using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Gateway.Endpoints;
using Tollgate.Gateway.Pipeline;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// Maps Gemini's native API: <c>POST /v1beta/models/{model}:{method}</c> and <c>POST /v1/models/{model}:{method}</c>
/// (Google's SDK sends <c>/v1/</c> by default, <c>/v1beta/</c> when asked), <c>GET /v1beta/models[/{model}]</c>, and
/// a Gemini-shaped 404 for anything else under <c>/v1beta/</c>. <c>{model}:{method}</c> is one path segment, or more
/// when the model is <c>provider/model</c> with its slash unencoded, so it is a catch-all split at its last colon.
/// </summary>
internal static class GeminiRoutes
{
    public static void MapGemini(this WebApplication app)
    {
        var pipeline = app.Services.GetRequiredService<RequestPipeline>();
        var models = app.Services.GetRequiredService<GeminiModelsEndpoints>();
        app.MapPost("/v1beta/models/{**id}", c => HandleAsync(c, pipeline));
        app.MapPost("/v1/models/{**id}", c => HandleAsync(c, pipeline));
        app.MapGet("/v1beta/models", models.ListAsync);
        app.MapGet("/v1beta/models/{**id}", (HttpContext c, string id) => models.GetAsync(c, id));
        app.MapFallback("/v1beta/{**rest}", static c =>
            GeminiInbound.WriteAsync(c, StatusCodes.Status404NotFound, $"Unknown endpoint: {c.Request.Method} {c.Request.Path}."));
    }

    private static Task HandleAsync(HttpContext context, RequestPipeline pipeline)
    {
        var (_, method) = GeminiInbound.SplitPath(context.Request.RouteValues["id"] as string ?? "");
        var inbound = GeminiInbound.For(method, context.Request.Query["alt"] == "sse");
        return inbound is null
            ? GeminiInbound.WriteAsync(context, StatusCodes.Status404NotFound, $"Unknown method '{method}': Tollgate serves generateContent, streamGenerateContent, countTokens, embedContent and batchEmbedContents.")
            : pipeline.HandleAsync(context, inbound);
    }
}
