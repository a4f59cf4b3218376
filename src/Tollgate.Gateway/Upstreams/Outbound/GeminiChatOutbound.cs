using System.Text.Json;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Gemini;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Upstreams.Outbound;

/// <summary>An OpenAI chat request to a Gemini upstream (<c>generateContent</c> / <c>streamGenerateContent?alt=sse</c>).</summary>
internal sealed class GeminiChatOutbound : ChatOutbound
{
    private readonly byte[] _body;
    private readonly GeminiResponseOptions _responseOptions;
    private readonly GeminiStreamTranslator _stream;
    private TokenUsage? _usage;

    private GeminiChatOutbound(Route route, byte[] body, bool stream, IReadOnlyList<string> dropped, GeminiResponseOptions responseOptions, Func<TokenUsage, decimal?> price)
        : base(route, stream, dropped, price)
    {
        _body = body;
        _responseOptions = responseOptions;
        _stream = new GeminiStreamTranslator(responseOptions);
    }

    public override TokenUsage? Usage => Stream ? _stream.Usage : _usage;

    public override bool Completed => _stream.FinishReason is not null || _stream.Error is not null;

    public override bool StreamFailed => _stream.Error is not null;

    public static GeminiChatOutbound? CreateFor(Route route, ReadOnlySpan<byte> openAIBody, long created, bool includeUsageChunk, Func<TokenUsage, decimal?> price, out ApiError? error)
    {
        var reject = route.Upstream.Settings.UnsupportedParameters == UnsupportedParameterPolicy.Reject;
        var translation = GeminiRequestTranslator.Translate(openAIBody, new GeminiTranslateOptions { RejectUnsupported = reject });
        if (!translation.IsSuccess)
        {
            var param = translation.Error?.Param;
            error = ApiError.BadRequest(translation.Error?.Message ?? "The request cannot be translated for Gemini.", param, reject && param is not null ? "unsupported_parameter" : null);
            return null;
        }

        error = null;
        var options = new GeminiResponseOptions { Model = route.UpstreamModel, Created = created, IncludeStreamUsage = includeUsageChunk };
        return new GeminiChatOutbound(route, translation.Body!, translation.Stream, translation.UnsupportedParameters, options, price);
    }

    public override HttpRequestMessage CreateRequest()
    {
        var model = Uri.EscapeDataString(Route.UpstreamModel);
        return Route.Upstream.CreateRequest(new Uri(Route.Upstream.Settings.BaseUrl + "/v1beta/models/" + model + (Stream ? ":streamGenerateContent?alt=sse" : ":generateContent")), _body);
    }

    public override byte[]? TranslateResponse(ReadOnlySpan<byte> body)
    {
        try
        {
            _usage = GeminiUsage.ParseResponse(body);
            var options = _usage is null ? _responseOptions : _responseOptions with { Cost = Price(_usage) };
            return GeminiResponseTranslator.Translate(body, options).Body;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    public override ClientError TranslateError(int status, ReadOnlySpan<byte> body)
    {
        var translated = GeminiErrorTranslator.Translate(status, body);
        return new ClientError(translated.StatusCode, translated.Body, translated.RetryAfterSeconds);
    }

    public override void TranslateEvent(ReadOnlySpan<byte> data, List<byte[]> chunks)
    {
        try
        {
            _stream.Translate(data, chunks);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // A garbled event carries nothing to forward; the stream's end still settles usage.
        }
    }

    public override void Complete(List<byte[]> chunks)
    {
        if (_stream.Complete(_stream.Usage is { } usage ? Price(usage) : null) is { } last)
        {
            chunks.Add(last);
        }
    }
}
