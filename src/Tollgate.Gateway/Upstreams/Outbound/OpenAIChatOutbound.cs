using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Json;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Upstreams.Outbound;

/// <summary>
/// An OpenAI chat request to an OpenAI-dialect upstream, for callers that translated the request themselves
/// (<c>/v1/messages</c>). OpenAI clients on <c>/v1/chat/completions</c> take the passthrough path instead.
/// </summary>
internal sealed class OpenAIChatOutbound : ChatOutbound
{
    private readonly byte[] _body;
    private readonly bool _includeUsageChunk;
    private TokenUsage? _usage;
    private bool _done;

    private OpenAIChatOutbound(Route route, byte[] body, bool stream, bool includeUsageChunk, Func<TokenUsage, decimal?> price)
        : base(route, stream, [], price)
    {
        _body = body;
        _includeUsageChunk = includeUsageChunk;
    }

    public override TokenUsage? Usage => _usage;

    public override bool Completed => _done || _usage is not null;

    public static OpenAIChatOutbound? CreateFor(Route route, ReadOnlySpan<byte> openAIBody, bool includeUsageChunk, Func<TokenUsage, decimal?> price, out ApiError? error)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(openAIBody) as JsonObject;
        }
        catch (JsonException)
        {
            root = null;
        }

        if (root is null)
        {
            error = ApiError.BadRequest("The request body must be a JSON object.");
            return null;
        }

        error = null;
        var stream = root["stream"] is JsonValue s && s.TryGetValue<bool>(out var b) && b;
        root["model"] = route.UpstreamModel;
        if (stream)
        {
            // Usage is always asked for: the ledger needs it; the chunk is hidden unless the caller wants it.
            root["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        return new OpenAIChatOutbound(route, NodeJson.Utf8(root), stream, includeUsageChunk, price);
    }

    public override HttpRequestMessage CreateRequest() => Route.Upstream.CreateRequest(Route.Upstream.ChatUri, _body);

    public override byte[]? TranslateResponse(ReadOnlySpan<byte> body)
    {
        if (!UsagePatcher.TryFindUsage(body, out var range) || !OpenAIUsage.TryParse(body[range], out var usage))
        {
            return IsJsonObject(body) ? body.ToArray() : null;
        }

        _usage = usage;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(body.Length + 32);
        UsagePatcher.WriteWithCost(body, range, Price(usage), buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public override ClientError TranslateError(int status, ReadOnlySpan<byte> body)
    {
        if (IsErrorObject(body))
        {
            return new ClientError(status, body.ToArray(), null);
        }

        // Not an error object (a proxy's HTML page, say): never echoed, described instead.
        var error = new JsonObject
        {
            ["message"] = $"The provider '{Route.Upstream.Id}' answered {status}.",
            ["type"] = status >= 500 ? "upstream_error" : "invalid_request_error",
        };
        return new ClientError(status, NodeJson.Utf8(new JsonObject { ["error"] = error }), null);
    }

    public override void TranslateEvent(ReadOnlySpan<byte> data, List<byte[]> chunks)
    {
        if (SseEvents.IsDone(data))
        {
            _done = true;
            return;
        }

        if (data.IndexOf("\"usage\""u8) >= 0 && UsagePatcher.TryFindUsage(data, out var range) && OpenAIUsage.TryParse(data[range], out var usage))
        {
            _usage = usage;
            if (!_includeUsageChunk && data.IndexOf("\"choices\":[]"u8) >= 0)
            {
                return;
            }

            var buffer = new System.Buffers.ArrayBufferWriter<byte>(data.Length + 32);
            UsagePatcher.WriteWithCost(data, range, Price(usage), buffer);
            chunks.Add(buffer.WrittenSpan.ToArray());
            return;
        }

        chunks.Add(data.ToArray());
    }

    public override void Complete(List<byte[]> chunks)
    {
    }

    private static bool IsJsonObject(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsErrorObject(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
