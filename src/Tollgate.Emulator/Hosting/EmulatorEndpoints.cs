using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator;

/// <summary>Maps the emulator's OpenAI-compatible endpoints into an ASP.NET Core app.</summary>
public static class EmulatorEndpoints
{
    private static readonly TimeSpan CutGracePeriod = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Maps <c>POST {prefix}/v1/chat/completions</c>, <c>POST {prefix}/v1/embeddings</c>,
    /// <c>GET {prefix}/v1/models</c>, Anthropic's <c>POST {prefix}/v1/messages</c> and Gemini's
    /// <c>POST {prefix}/v1beta/models/{model}:generateContent</c> / <c>:streamGenerateContent</c>, and the instance's
    /// control endpoints <c>{prefix}/_emulator/faults</c> and <c>{prefix}/_emulator/requests</c>.
    /// </summary>
    /// <param name="routes">The app or route group to map into.</param>
    /// <param name="prefix">A path prefix such as <c>/emulator</c>; empty maps at the root.</param>
    /// <param name="options">Server-wide defaults; null uses <see cref="EmulatorOptions"/> defaults.</param>
    /// <returns><paramref name="routes"/>, for chaining.</returns>
    public static IEndpointRouteBuilder MapEmulator(this IEndpointRouteBuilder routes, string prefix = "", EmulatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var engine = new EmulatorEngine(options ?? new EmulatorOptions());
        var root = (prefix ?? "").Trim().TrimEnd('/');
        if (root.Length > 0 && root[0] != '/')
        {
            root = "/" + root;
        }

        routes.MapPost(root + "/v1/chat/completions", (RequestDelegate)(ctx => ServeAsync(ctx, engine, EmulatorOperation.ChatCompletions)));
        routes.MapPost(root + "/v1/responses", (RequestDelegate)(ctx => ServeAsync(ctx, engine, EmulatorOperation.Responses)));
        routes.MapPost(root + "/v1/responses/input_tokens", (RequestDelegate)(ctx => ServeAsync(ctx, engine, EmulatorOperation.ResponsesInputTokens)));
        routes.MapPost(root + "/v1/embeddings", (RequestDelegate)(ctx => ServeAsync(ctx, engine, EmulatorOperation.Embeddings)));
        routes.MapGet(root + "/v1/models", (RequestDelegate)(ctx => ServeAsync(ctx, engine, EmulatorOperation.Models)));
        routes.MapPost(root + "/v1/messages", (RequestDelegate)(ctx => ServeAsync(ctx, engine, EmulatorOperation.AnthropicMessages)));
        routes.MapPost(root + "/v1/messages/count_tokens", (RequestDelegate)(ctx => ServeAsync(ctx, engine, EmulatorOperation.AnthropicCountTokens)));
        routes.MapPost(root + "/v1/images/generations", (RequestDelegate)Modalities.ModalityEndpoints.ImagesAsync);
        routes.MapPost(root + "/v1/images/edits", (RequestDelegate)Modalities.ModalityEndpoints.ImageEditsAsync);
        routes.MapPost(root + "/v1/audio/speech", (RequestDelegate)Modalities.ModalityEndpoints.SpeechAsync);
        routes.MapPost(root + "/v1/audio/transcriptions", (RequestDelegate)(ctx => Modalities.ModalityEndpoints.TranscriptionAsync(ctx, translate: false)));
        routes.MapPost(root + "/v1/audio/translations", (RequestDelegate)(ctx => Modalities.ModalityEndpoints.TranscriptionAsync(ctx, translate: true)));
        routes.MapPost(root + "/v1/moderations", (RequestDelegate)Modalities.ModalityEndpoints.ModerationsAsync);

        // The instance's control endpoints (docs/EMULATOR.md, "Per-instance faults").
        routes.MapMethods(root + EmulatorRequest.FaultsPath, ["GET", "POST", "DELETE"], (RequestDelegate)(ctx => ServeAsync(ctx, engine, EmulatorOperation.ControlFaults)));
        routes.MapMethods(root + EmulatorRequest.RequestsPath, ["GET", "DELETE"], (RequestDelegate)(ctx => ServeAsync(ctx, engine, EmulatorOperation.ControlRequests)));

        // "{model}:generateContent" is one path segment; the operation is read from its suffix.
        routes.MapPost(root + "/v1beta/models/{**rest}", (RequestDelegate)(ctx => ServeAsync(ctx, engine, EmulatorRequest.OperationFor(ctx.Request.Method, ctx.Request.Path))));
        return routes;
    }

    private static async Task ServeAsync(HttpContext context, EmulatorEngine engine, EmulatorOperation operation)
    {
        var ct = context.RequestAborted;
        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, ct);
            var knobHeaders = EmulatorRequest.SelectKnobHeaders(
                context.Request.Headers.Select(static h => new KeyValuePair<string, string>(h.Key, h.Value.ToString())));
            var request = new EmulatorRequest(
                operation, context.Request.Method, context.Request.Path, body.GetBuffer().AsMemory(0, (int)body.Length), knobHeaders)
            {
                ApiHeaders = EmulatorRequest.SelectApiHeaders(
                    context.Request.Headers.Select(static h => new KeyValuePair<string, string>(h.Key, h.Value.ToString()))),
            };

            var response = await engine.HandleAsync(request, ct);
            if (response.DropConnection)
            {
                // fault=reset: the request was read, and the connection goes without a byte of response.
                context.Abort();
                return;
            }

            context.Response.StatusCode = response.StatusCode;
            context.Response.ContentType = response.ContentType;
            foreach (var (name, value) in response.Headers)
            {
                context.Response.Headers[name] = value;
            }

            if (response.IsEventStream)
            {
                context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            }

            try
            {
                await response.WriteBodyAsync(context.Response.Body, ct);
            }
            catch (EmulatorCutException)
            {
                // What was written must reach the client before the connection drops (no usage, no [DONE]):
                // Kestrel discards output still queued for the socket when aborting, so give it a moment.
                await context.Response.Body.FlushAsync(ct);
                await Task.Delay(CutGracePeriod, engine.Options.TimeProvider, ct);
                context.Abort();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client gave up (hang, or a timeout during latency): nothing left to answer.
        }
    }
}
