using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Core.Usage;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Upstreams.Outbound;
using Tollgate.Gateway.Upstreams.Passthrough;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// OpenAI's JSON endpoints beyond chat (images, speech, moderations): read once, passed through to OpenAI-compatible
/// deployments with the model rewritten, metered from the answer by the catalog's unit or token prices; errors in
/// OpenAI's shape. Not streamed through the gateway; other dialects do not serve them (400).
/// </summary>
internal abstract class OpenAIModalityInbound : InboundDialect
{
    public override InboundRequest? Read(ReadOnlyMemory<byte> body, HttpRequest httpRequest, out ApiError? error)
    {
        var fields = OpenAIRequestReader.Read(body.Span, OpenAIRequestReader.Kind.Modality);
        if (fields.Error is not null)
        {
            error = ApiError.BadRequest(fields.Error, fields.ErrorParam);
            return new InboundRequest(body, fields);
        }

        if (fields.Stream)
        {
            error = ApiError.BadRequest("Streaming is not supported on this endpoint through Tollgate; send the request without 'stream'.", "stream", "unsupported_parameter");
            return new InboundRequest(body, fields);
        }

        using var document = JsonDocument.Parse(body);
        return ReadRequest(body, fields, document.RootElement, out error);
    }

    /// <summary>Checks the endpoint's own fields and prepares its <see cref="ModalityRequest"/> and worst case.</summary>
    protected abstract InboundRequest ReadRequest(ReadOnlyMemory<byte> body, OpenAIRequest fields, JsonElement root, out ApiError? error);

    public override Exchange? CreateExchange(InboundRequest request, Route deployment, Func<TokenUsage, decimal?> price, long created, out ApiError? error)
    {
        if (deployment.Upstream.Dialect != UpstreamDialect.OpenAI || request.DialectState is not ModalityRequest modality)
        {
            error = ApiError.BadRequest($"The provider '{deployment.Upstream.Id}' ({ChatOutbound.DialectName(deployment.Upstream.Dialect)} API) does not serve this endpoint through Tollgate.", "model", "unsupported_endpoint");
            return null;
        }

        error = null;
        return new OpenAIModalityExchange(deployment, request.Fields, request.Body, modality.Path, modality.Meter, modality.ContentType);
    }

    public override Task WriteErrorAsync(HttpContext context, ApiError error) => error.WriteAsync(context);

    /// <summary>A string member, null when absent or null; <paramref name="error"/> set when it is another type.</summary>
    protected static string? OptionalString(JsonElement root, string name, ref ApiError? error)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            error ??= ApiError.BadRequest($"'{name}' must be a string.", name);
            return null;
        }

        return value.GetString();
    }
}
