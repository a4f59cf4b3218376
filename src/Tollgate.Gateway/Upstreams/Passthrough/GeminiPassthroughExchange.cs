using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Gemini;
using Tollgate.Dialects.Gemini.Inbound;
using Tollgate.Dialects.Json;
using Tollgate.Gateway.Inbound;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Upstreams.Passthrough;

/// <summary>
/// A request of Gemini's native API to a Gemini deployment: the body forwarded as it came (the model lives in the URL,
/// rewritten to the deployment's; the <c>model</c> members of a batch's requests rewritten with it), streams always
/// asked of the upstream as SSE and framed for the client as it asked. Usage is read from <c>usageMetadata</c> (each
/// stream response carries the running total), and the response that carries the final one gets the cost in a
/// top-level <c>tollgate</c> object, which Google's SDKs ignore.
/// </summary>
internal sealed class GeminiPassthroughExchange : Exchange
{
    private readonly GeminiCall _call;
    private readonly ReadOnlyMemory<byte> _prompt;
    private readonly ReadOnlyMemory<byte> _upstreamBody;
    private readonly Func<TokenUsage, decimal?> _price;
    private readonly GeminiStreamFraming _framing;
    private TokenUsage? _usage;
    private bool _finished;
    private bool _failed;

    /// <param name="prompt">What the provider bills as input, for the estimate when it reports no usage.</param>
    public GeminiPassthroughExchange(Route route, GeminiCall call, ReadOnlyMemory<byte> clientBody, ReadOnlyMemory<byte> prompt, bool stream, bool sse, Func<TokenUsage, decimal?> price)
        : base(route, stream)
    {
        _call = call;
        _prompt = prompt;
        _price = price;
        _framing = new GeminiStreamFraming(sse);
        _upstreamBody = RewriteModels(clientBody, call, "models/" + route.UpstreamModel);
    }

    public override TokenUsage? Usage => _usage;

    public override bool Completed => _finished || _failed;

    public override bool StreamFailed => _failed;

    public override bool SignalsBreakInBand => true;

    public override string StreamContentType => _framing.ContentType;

    public override ReadOnlyMemory<byte> Prompt => _prompt;

    public override HttpRequestMessage CreateRequest()
    {
        var method = _call switch
        {
            GeminiCall.CountTokens => "countTokens",
            GeminiCall.EmbedContent => "embedContent",
            GeminiCall.BatchEmbedContents => "batchEmbedContents",
            _ => Stream ? "streamGenerateContent?alt=sse" : "generateContent",
        };
        return Route.Upstream.CreateRequest(new Uri(Route.Upstream.Settings.BaseUrl + "/v1beta/models/" + Uri.EscapeDataString(Route.UpstreamModel) + ":" + method), _upstreamBody);
    }

    public override bool TryWriteResponse(ReadOnlySpan<byte> upstreamBody, IBufferWriter<byte> client)
    {
        JsonObject? response;
        try
        {
            response = JsonNode.Parse(upstreamBody) as JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }

        if (response is null)
        {
            return false;
        }

        if (_call != GeminiCall.CountTokens && WithCost(response))
        {
            using var writer = new Utf8JsonWriter(client);
            response.WriteTo(writer);
            return true;
        }

        // No usage (embeddings usually report none): relayed as it came; the ledger estimates.
        client.Write(upstreamBody);
        return true;
    }

    public override ClientError TranslateError(int status, ReadOnlySpan<byte> upstreamBody)
    {
        var code = status >= 400 ? status : 502;
        try
        {
            if (JsonNode.Parse(upstreamBody) is JsonObject { } o && o["error"] is JsonObject)
            {
                return new ClientError(code, upstreamBody.ToArray());
            }
        }
        catch (JsonException)
        {
            // Not Gemini's shape: the generic error below.
        }

        return new ClientError(code, GeminiInboundErrors.Body(code, $"The provider '{Route.Upstream.Id}' answered {status}."));
    }

    public override bool WriteEvent(ReadOnlySpan<byte> sseEvent, ReadOnlySpan<byte> data, PipeWriter client)
    {
        if (data.IsEmpty)
        {
            return false;
        }

        JsonObject? response = null;
        try
        {
            response = JsonNode.Parse(data) as JsonObject;
        }
        catch (JsonException)
        {
            // Relayed as it came below.
        }

        if (response is not null)
        {
            if (response["error"] is JsonObject)
            {
                _failed = true;
            }
            else
            {
                _finished |= response["candidates"] is JsonArray candidates && candidates.OfType<JsonObject>().Any(c => c["finishReason"] is not null);
                if (_finished && WithCost(response))
                {
                    _framing.Write(client, NodeJson.Utf8(response));
                    return true;
                }

                ReadUsage(response);
            }
        }

        _framing.Write(client, data);
        return true;
    }

    public override void WriteEnd(PipeWriter client, bool completed)
    {
        if (!completed && !_failed)
        {
            _framing.Write(client, GeminiInboundErrors.Body(502, "The upstream provider's stream broke off."));
        }

        _framing.End(client);
    }

    /// <summary>Reads the response's usage and, when it has some, adds the cost; false when it has none.</summary>
    private bool WithCost(JsonObject response)
    {
        if (!ReadUsage(response))
        {
            return false;
        }

        if (_price(_usage!) is { } cost)
        {
            response["tollgate"] = new JsonObject { ["cost"] = Money.Normalize(cost) };
        }

        return true;
    }

    private bool ReadUsage(JsonObject response)
    {
        if (response["usageMetadata"] is not JsonObject metadata)
        {
            return false;
        }

        using var doc = JsonDocument.Parse(metadata.ToJsonString());
        _usage = GeminiUsage.Parse(doc.RootElement);
        return true;
    }

    /// <summary>The body with the <c>model</c> members that name the model (a batch's requests, a wrapped request) set to the deployment's.</summary>
    private static ReadOnlyMemory<byte> RewriteModels(ReadOnlyMemory<byte> body, GeminiCall call, string model)
    {
        if (call is not (GeminiCall.BatchEmbedContents or GeminiCall.CountTokens))
        {
            return body;
        }

        try
        {
            if (JsonNode.Parse(body.Span) is not JsonObject root)
            {
                return body;
            }

            if (call == GeminiCall.BatchEmbedContents && root["requests"] is JsonArray requests)
            {
                foreach (var request in requests.OfType<JsonObject>())
                {
                    request["model"] = model;
                }
            }
            else if ((root["generateContentRequest"] ?? root["generate_content_request"]) is JsonObject inner)
            {
                inner["model"] = model;
            }

            return NodeJson.Utf8(root);
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
