using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Core.Catalog;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Inbound;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Endpoints;

/// <summary>
/// <c>GET /v1beta/models</c> and <c>GET /v1beta/models/{model}</c> (and under <c>/v1/</c> for Gemini clients) in
/// Gemini's <c>Model</c> shape: <c>name</c> is <c>models/{id}</c> with the id chat accepts (<c>provider/model</c>),
/// token limits from the catalog, and the methods Tollgate serves for the model's mode. Errors in Gemini's shape.
/// </summary>
internal sealed class GeminiModelsEndpoints(ModelCatalog catalog, UpstreamRegistry upstreams, Authenticator authenticator, ModelResolver resolver)
{
    /// <summary>
    /// Whether a request on <c>/v1/models</c> comes from a Gemini client (Google's SDKs send <c>x-goog-api-key</c> and
    /// <c>x-goog-api-client</c>; REST callers <c>?key=</c>), which gets Gemini's shape rather than OpenAI's.
    /// </summary>
    public static bool IsGeminiClient(HttpRequest request) =>
        request.Headers.ContainsKey("x-goog-api-key") || request.Headers.ContainsKey("x-goog-api-client") || request.Query.ContainsKey("key");

    public async Task ListAsync(HttpContext context)
    {
        if (authenticator.Authenticate(context, out var error) is null)
        {
            await GeminiInbound.WriteAsync(context, error!.Status, error.Message).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartArray("models");
        foreach (var model in catalog.Models.Where(m => upstreams.IsEnabled(m.Provider)))
        {
            Write(writer, model);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public async Task GetAsync(HttpContext context, string id)
    {
        if (authenticator.Authenticate(context, out var error) is null)
        {
            await GeminiInbound.WriteAsync(context, error!.Status, error.Message).ConfigureAwait(false);
            return;
        }

        id = id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        if (id.StartsWith("models/", StringComparison.Ordinal))
        {
            id = id["models/".Length..];
        }

        var route = resolver.Resolve(id, out var resolveError);
        if (route?.Model is not { } model)
        {
            await GeminiInbound.WriteAsync(context, resolveError?.Status ?? StatusCodes.Status404NotFound, resolveError?.Message ?? $"The model '{id}' does not exist or its provider is not configured. GET /v1beta/models lists the models.").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        Write(writer, model);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static void Write(Utf8JsonWriter writer, ModelEntry model)
    {
        writer.WriteStartObject();
        writer.WriteString("name", "models/" + model.Id);
        writer.WriteString("baseModelId", model.Model);
        writer.WriteString("version", "");
        writer.WriteString("displayName", model.Id);
        if (model.ContextWindow is { } input)
        {
            writer.WriteNumber("inputTokenLimit", input);
        }

        if (model.MaxOutput is { } output)
        {
            writer.WriteNumber("outputTokenLimit", output);
        }

        writer.WriteStartArray("supportedGenerationMethods");
        foreach (var method in model.Mode == "embedding" ? ["embedContent", "batchEmbedContents"] : new[] { "generateContent", "streamGenerateContent", "countTokens" })
        {
            writer.WriteStringValue(method);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
