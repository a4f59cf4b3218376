using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Gemini;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Settlement;

namespace Tollgate.Gateway.Upstreams;

/// <summary>
/// OpenAI's <c>/v1/embeddings</c> on a Gemini deployment: translated to <c>batchEmbedContents</c>, the answer back to
/// OpenAI's shape. Gemini reports no usage for embeddings, so the tokens are the gateway's count of the input (marked
/// estimated in the ledger) and priced at the model's input rate.
/// </summary>
internal sealed class OpenAIToGeminiEmbeddingsExchange : Exchange
{
    private readonly byte[] _body;
    private readonly bool _base64;
    private readonly ReadOnlyMemory<byte> _input;
    private readonly string _clientModel;
    private readonly Func<TokenUsage, decimal?> _price;
    private bool _read;

    private OpenAIToGeminiEmbeddingsExchange(Route route, byte[] body, bool base64, ReadOnlyMemory<byte> input, string clientModel, Func<TokenUsage, decimal?> price)
        : base(route, stream: false)
    {
        _body = body;
        _base64 = base64;
        _input = input;
        _clientModel = clientModel;
        _price = price;
    }

    /// <summary>The exchange, or null with the 400 when the request cannot be sent to Gemini (token arrays).</summary>
    public static OpenAIToGeminiEmbeddingsExchange? Create(Route route, OpenAIRequest fields, ReadOnlyMemory<byte> clientBody, Func<TokenUsage, decimal?> price, out Errors.ApiError? error)
    {
        var body = GeminiEmbeddingsTranslator.TranslateRequest(clientBody.Span, route.UpstreamModel, out var base64, out var message, out var param);
        if (body is null)
        {
            error = Errors.ApiError.BadRequest(message!, param);
            return null;
        }

        error = null;
        return new OpenAIToGeminiEmbeddingsExchange(route, body, base64, clientBody[fields.PromptRange], fields.Model!, price);
    }

    /// <summary>Null: the ledger counts the input's tokens itself and marks them estimated.</summary>
    public override TokenUsage? Usage => null;

    public override bool Completed => _read;

    public override bool SignalsBreakInBand => false;

    public override ReadOnlyMemory<byte> Prompt => _input;

    public override HttpRequestMessage CreateRequest() =>
        Route.Upstream.CreateRequest(new Uri(Route.Upstream.Settings.BaseUrl + "/v1beta/models/" + Uri.EscapeDataString(Route.UpstreamModel) + ":batchEmbedContents"), _body);

    public override bool TryWriteResponse(ReadOnlySpan<byte> upstreamBody, IBufferWriter<byte> client)
    {
        // The same count the ledger makes of the prompt, so the response's cost and the ledger's agree.
        var tokens = TokenEstimator.CountPrompt(_input.Span);
        byte[]? translated;
        try
        {
            translated = GeminiEmbeddingsTranslator.TranslateResponse(upstreamBody, _clientModel, _base64, tokens, _price(new TokenUsage { InputTokens = tokens }));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            translated = null;
        }

        if (translated is null)
        {
            return false;
        }

        _read = true;
        client.Write(translated);
        return true;
    }

    public override ClientError TranslateError(int status, ReadOnlySpan<byte> upstreamBody)
    {
        var translated = GeminiErrorTranslator.Translate(status, upstreamBody);
        return new ClientError(translated.StatusCode, translated.Body, translated.RetryAfterSeconds);
    }

    public override bool WriteEvent(ReadOnlySpan<byte> sseEvent, ReadOnlySpan<byte> data, PipeWriter client) => false;

    public override void WriteEnd(PipeWriter client, bool completed)
    {
    }
}
