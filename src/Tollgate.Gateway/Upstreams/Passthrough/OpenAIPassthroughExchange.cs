using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Tollgate.Core.Usage;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Relay;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Upstreams.Passthrough;

/// <summary>
/// An OpenAI-shaped request (chat or embeddings) to an OpenAI-compatible deployment: the body is forwarded with only
/// the model (and, for streams, <c>stream_options</c>) rewritten and OpenRouter's <c>models</c> cut out; answers are
/// copied as they arrive with <c>usage.cost</c> written into the provider's own usage object, every other byte kept.
/// </summary>
internal sealed class OpenAIPassthroughExchange : Exchange
{
    private readonly OpenAIRequest _request;
    private readonly ReadOnlyMemory<byte> _clientBody;
    private readonly Func<TokenUsage, decimal?> _price;
    private readonly PooledBufferWriter _upstreamBody;
    private TokenUsage? _usage;
    private bool _done;

    public OpenAIPassthroughExchange(Route route, OpenAIRequest request, ReadOnlyMemory<byte> clientBody, Func<TokenUsage, decimal?> price)
        : base(route, request.Stream)
    {
        _request = request;
        _clientBody = clientBody;
        _price = price;
        _upstreamBody = new PooledBufferWriter(clientBody.Length + 128);
        OpenAIRequestReader.Rewrite(clientBody.Span, request, JsonEncodedText.Encode(route.UpstreamModel), _upstreamBody);
    }

    public override TokenUsage? Usage => _usage;

    public override bool Completed => _done || _usage is not null;

    public override bool SignalsBreakInBand => false;

    public override ReadOnlyMemory<byte> Prompt => _clientBody[_request.PromptRange];

    public override HttpRequestMessage CreateRequest() =>
        Route.Upstream.CreateRequest(_request.Kind == OpenAIRequestReader.Kind.Embeddings ? Route.Upstream.EmbeddingsUri : Route.Upstream.ChatUri, _upstreamBody.WrittenMemory);

    public override bool TryWriteResponse(ReadOnlySpan<byte> upstreamBody, IBufferWriter<byte> client)
    {
        if (UsagePatcher.TryFindUsage(upstreamBody, out var range) && OpenAIUsage.TryParse(upstreamBody[range], out var usage))
        {
            _usage = usage;
            UsagePatcher.WriteWithCost(upstreamBody, range, _price(usage), client);
            return true;
        }

        // No usage: still a whole answer when it is a JSON object (the ledger estimates); anything else is not one.
        if (!JsonShapes.IsObject(upstreamBody))
        {
            return false;
        }

        Retain(upstreamBody);
        client.Write(upstreamBody);
        return true;
    }

    public override ClientError TranslateError(int status, ReadOnlySpan<byte> upstreamBody) => OpenAIError(Route, status, upstreamBody);

    /// <summary>An OpenAI-compatible provider's error as the client gets it: its own <c>error</c> object, else one in OpenAI's shape.</summary>
    internal static ClientError OpenAIError(Route route, int status, ReadOnlySpan<byte> upstreamBody) =>
        JsonShapes.HasMember(upstreamBody, "error"u8)
            ? new ClientError(status, upstreamBody.ToArray())
            : new ClientError(status, JsonShapes.OpenAIError($"The provider '{route.Upstream.Id}' answered {status}.", status >= 500 ? "upstream_error" : "invalid_request_error", "upstream_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public override bool WriteEvent(ReadOnlySpan<byte> sseEvent, ReadOnlySpan<byte> data, PipeWriter client)
    {
        if (data.IsEmpty)
        {
            client.Write(sseEvent);
            return true;
        }

        if (SseEvents.IsDone(data))
        {
            // [DONE] is written by WriteEnd, after the request is settled.
            _done = true;
            return false;
        }

        Retain(data);
        if (data.IndexOf("\"usage\""u8) >= 0 && UsagePatcher.TryFindUsage(data, out var range) && OpenAIUsage.TryParse(data[range], out var usage))
        {
            _usage = usage;
            if (!_request.ClientIncludeUsage && data.IndexOf("\"choices\":[]"u8) >= 0)
            {
                // The client did not ask for the usage chunk; it was requested for accounting only.
                return false;
            }

            client.Write("data: "u8);
            UsagePatcher.WriteWithCost(data, range, _price(usage), client);
            client.Write("\n\n"u8);
            return true;
        }

        client.Write(sseEvent);
        return true;
    }

    public override void WriteEnd(PipeWriter client, bool completed)
    {
        if (completed)
        {
            client.Write("data: [DONE]\n\n"u8);
        }
    }

    protected override void Release() => _upstreamBody.Dispose();
}
