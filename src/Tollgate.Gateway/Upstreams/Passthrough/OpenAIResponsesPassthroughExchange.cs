using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Json;
using Tollgate.Dialects.OpenAI;
using Tollgate.Dialects.Responses;
using Tollgate.Gateway.Inbound;
using Tollgate.Gateway.Relay;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Upstreams.Passthrough;

/// <summary>
/// A Responses API request to OpenAI itself (<c>{base}/responses</c>): the body is forwarded with only the model
/// rewritten; the answer is copied with <c>usage.cost</c> written into the response's usage. In a stream the final
/// event (<c>response.completed</c>, <c>.incomplete</c>, <c>.failed</c>) carries the usage: it is held back and
/// written by <see cref="WriteEnd"/>, after the request is settled, so a client that has seen the end finds the
/// ledger entry. The finished response goes to <paramref name="finished"/> (the store), as JSON.
/// </summary>
internal sealed class OpenAIResponsesPassthroughExchange : Exchange
{
    private readonly ReadOnlyMemory<byte> _clientBody;
    private readonly Func<TokenUsage, decimal?> _price;
    private readonly Action<JsonObject>? _finished;
    private readonly PooledBufferWriter _upstreamBody;
    private readonly Uri _uri;
    private TokenUsage? _usage;
    private (string Type, byte[] Data)? _final;

    /// <param name="path">The endpoint under the provider's base URL: <c>/responses</c>, or <c>/responses/input_tokens</c>.</param>
    public OpenAIResponsesPassthroughExchange(Route route, OpenAIRequest request, ReadOnlyMemory<byte> clientBody, Func<TokenUsage, decimal?> price, Action<JsonObject>? finished, string path = "/responses")
        : base(route, request.Stream)
    {
        _clientBody = clientBody;
        _price = price;
        _finished = finished;
        _uri = new Uri(route.Upstream.Settings.BaseUrl + path);
        _upstreamBody = new PooledBufferWriter(clientBody.Length + 64);
        OpenAIRequestReader.Rewrite(clientBody.Span, request, JsonEncodedText.Encode(route.UpstreamModel), _upstreamBody);
    }

    public override TokenUsage? Usage => _usage;

    public override bool Completed => _final is not null;

    public override bool StreamFailed => _final is { Type: "response.failed" };

    /// <summary>A stream cut before its final event is passed on as a cut connection: OpenAI's own streams have no such event.</summary>
    public override bool SignalsBreakInBand => false;

    public override ReadOnlyMemory<byte> Prompt => _clientBody;

    public override HttpRequestMessage CreateRequest() => Route.Upstream.CreateRequest(_uri, _upstreamBody.WrittenMemory);

    public override bool TryWriteResponse(ReadOnlySpan<byte> upstreamBody, IBufferWriter<byte> client)
    {
        if (!JsonShapes.IsObject(upstreamBody))
        {
            return false;
        }

        if (UsagePatcher.TryFindUsage(upstreamBody, out var range) && ResponsesUsage.TryRead(JsonNode.Parse(upstreamBody[range]), out var usage))
        {
            _usage = usage;
            using var patched = new PooledBufferWriter(upstreamBody.Length + 32);
            UsagePatcher.WriteWithCost(upstreamBody, range, _price(usage), patched);
            client.Write(patched.WrittenSpan);
            Finish(JsonNode.Parse(patched.WrittenSpan) as JsonObject);
            return true;
        }

        Retain(upstreamBody);
        client.Write(upstreamBody);
        Finish(JsonNode.Parse(upstreamBody) as JsonObject);
        return true;
    }

    public override ClientError TranslateError(int status, ReadOnlySpan<byte> upstreamBody) =>
        JsonShapes.HasMember(upstreamBody, "error"u8)
            ? new ClientError(status, upstreamBody.ToArray())
            : new ClientError(status, JsonShapes.OpenAIError($"The provider '{Route.Upstream.Id}' answered {status}.", status >= 500 ? "upstream_error" : "invalid_request_error", "upstream_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public override bool WriteEvent(ReadOnlySpan<byte> sseEvent, ReadOnlySpan<byte> data, PipeWriter client)
    {
        if (data.IsEmpty || data.IndexOf("\"response."u8) < 0 || !IsFinal(data))
        {
            Retain(data);
            client.Write(sseEvent);
            return true;
        }

        if (JsonNode.Parse(data) is not JsonObject final)
        {
            client.Write(sseEvent);
            return true;
        }

        var type = final["type"]!.GetValue<string>();
        if (final["response"] is JsonObject response && ResponsesUsage.TryRead(response["usage"], out var usage))
        {
            _usage = usage;
            if (_price(usage) is { } cost)
            {
                response["usage"]!["cost"] = cost;
            }
        }

        _final = (type, NodeJson.Utf8(final));
        if (type != "response.failed")
        {
            Finish(final["response"] as JsonObject);
        }

        return false;
    }

    public override void WriteEnd(PipeWriter client, bool completed)
    {
        if (_final is { } final)
        {
            ResponsesClientWriter.WriteEvent(client, final.Type, final.Data);
        }
    }

    protected override void Release() => _upstreamBody.Dispose();

    private void Finish(JsonObject? response)
    {
        if (response is not null)
        {
            _finished?.Invoke(response);
        }
    }

    private static bool IsFinal(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType)
                {
                    return reader.TokenType == JsonTokenType.String
                        && (reader.ValueTextEquals("response.completed"u8) || reader.ValueTextEquals("response.incomplete"u8) || reader.ValueTextEquals("response.failed"u8));
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
