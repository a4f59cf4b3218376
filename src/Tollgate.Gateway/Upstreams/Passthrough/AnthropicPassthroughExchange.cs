using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Anthropic;
using Tollgate.Dialects.Json;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Inbound;
using Tollgate.Gateway.Relay;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Upstreams.Passthrough;

/// <summary>
/// A Messages request to an Anthropic deployment: forwarded with only the model rewritten (and OpenRouter's
/// <c>models</c> cut out); events are forwarded as they come, usage gathered from <c>message_start</c> and
/// <c>message_delta</c>, and the final <c>message_delta</c>'s usage (or the message's) gets <c>cost</c>.
/// </summary>
internal sealed class AnthropicPassthroughExchange : Exchange
{
    private readonly ReadOnlyMemory<byte> _clientBody;
    private readonly Func<TokenUsage, decimal?> _price;
    private readonly PooledBufferWriter _upstreamBody;
    private readonly bool _countTokens;
    private readonly string? _beta;

    // The OpenAI-direction translator is used only for its usage accounting; its chunks are discarded.
    private readonly AnthropicStreamTranslator _usageReader = new(new AnthropicResponseOptions());
    private readonly List<byte[]> _discard = [];
    private TokenUsage? _usage;

    /// <param name="countTokens">For <c>/v1/messages/count_tokens</c>: the answer is a count, relayed as it is.</param>
    public AnthropicPassthroughExchange(Route route, OpenAIRequest request, ReadOnlyMemory<byte> clientBody, Func<TokenUsage, decimal?> price, string? beta, bool countTokens = false)
        : base(route, request.Stream && !countTokens)
    {
        _clientBody = clientBody;
        _price = price;
        _beta = beta;
        _countTokens = countTokens;
        _upstreamBody = new PooledBufferWriter(clientBody.Length + 64);
        OpenAIRequestReader.Rewrite(clientBody.Span, request, JsonEncodedText.Encode(route.UpstreamModel), _upstreamBody);
    }

    public override TokenUsage? Usage => Stream ? (_usageReader.Usage.TotalTokens > 0 || _usageReader.IsCompleted ? _usageReader.Usage : null) : _usage;

    public override bool Completed => _usageReader.IsCompleted || _usageReader.HasError;

    public override bool StreamFailed => _usageReader.HasError;

    public override bool SignalsBreakInBand => true;

    public override ReadOnlyMemory<byte> Prompt => _clientBody;

    public override HttpRequestMessage CreateRequest()
    {
        var message = Route.Upstream.CreateRequest(new Uri(Route.Upstream.Settings.BaseUrl + (_countTokens ? "/v1/messages/count_tokens" : "/v1/messages")), _upstreamBody.WrittenMemory);

        // Beta features are the client's choice; the version header is the gateway's.
        if (_beta is not null)
        {
            message.Headers.TryAddWithoutValidation("anthropic-beta", _beta);
        }

        return message;
    }

    public override bool TryWriteResponse(ReadOnlySpan<byte> upstreamBody, IBufferWriter<byte> client)
    {
        if (_countTokens)
        {
            if (!JsonShapes.IsObject(upstreamBody))
            {
                return false;
            }

            client.Write(upstreamBody);
            return true;
        }

        JsonObject? message;
        try
        {
            message = JsonNode.Parse(upstreamBody) as JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }

        if (message?["usage"] is not JsonObject usageNode)
        {
            return false;
        }

        using (var doc = JsonDocument.Parse(usageNode.ToJsonString()))
        {
            _usage = AnthropicUsage.Parse(doc.RootElement);
        }

        if (_price(_usage) is { } cost)
        {
            usageNode["cost"] = Money.Normalize(cost);
        }

        using var writer = new Utf8JsonWriter(client);
        message.WriteTo(writer);
        return true;
    }

    public override ClientError TranslateError(int status, ReadOnlySpan<byte> upstreamBody)
    {
        if (status >= 400 && IsAnthropicError(upstreamBody))
        {
            return new ClientError(status, upstreamBody.ToArray());
        }

        var translated = Dialects.Anthropic.Inbound.AnthropicInboundResponseTranslator.TranslateError(
            JsonShapes.OpenAIError($"The provider '{Route.Upstream.Id}' answered {status}.", "upstream_error"), status >= 400 ? status : 502);
        return new ClientError(translated.StatusCode, translated.Body);
    }

    public override bool WriteEvent(ReadOnlySpan<byte> sseEvent, ReadOnlySpan<byte> data, PipeWriter client)
    {
        if (!data.IsEmpty)
        {
            _discard.Clear();
            _usageReader.Translate(null, data, _discard);
            if (data.IndexOf("\"message_delta\""u8) >= 0 && WithCost(data) is { } patched)
            {
                AnthropicClientWriter.WriteEvent(client, "message_delta", patched);
                return true;
            }
        }

        client.Write(sseEvent);
        return true;
    }

    public override void WriteEnd(PipeWriter client, bool completed)
    {
        if (!completed && !_usageReader.HasError)
        {
            // The error event tells the client (Anthropic's streams end after one).
            AnthropicClientWriter.WriteBreak(client);
        }
        else if (completed && !_usageReader.IsCompleted && !_usageReader.HasError)
        {
            // Cut by the gateway before the provider's end (it reported more output than allowed): ended as Anthropic ends.
            AnthropicClientWriter.WriteEvent(client, "message_stop", """{"type":"message_stop"}"""u8);
        }
    }

    protected override void Release() => _upstreamBody.Dispose();

    private byte[]? WithCost(ReadOnlySpan<byte> data)
    {
        if (_price(_usageReader.Usage) is not { } cost)
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(data) is JsonObject o && o["type"]?.GetValue<string>() == "message_delta" && o["usage"] is JsonObject u)
            {
                u["cost"] = Money.Normalize(cost);
                return NodeJson.Utf8(o);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Leave the event as it came.
        }

        return null;
    }

    private static bool IsAnthropicError(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject o && o["type"]?.GetValue<string>() == "error" && o["error"] is JsonObject;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
