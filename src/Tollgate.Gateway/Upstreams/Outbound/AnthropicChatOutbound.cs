using Tollgate.Core.Usage;
using Tollgate.Dialects.Anthropic;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Upstreams.Outbound;

/// <summary>An OpenAI chat request to an Anthropic upstream (<c>/v1/messages</c>).</summary>
internal sealed class AnthropicChatOutbound : ChatOutbound
{
    private const int FallbackMaxTokens = 4096;

    private readonly byte[] _body;
    private readonly AnthropicResponseOptions _responseOptions;
    private readonly AnthropicStreamTranslator _stream;
    private TokenUsage? _usage;

    private AnthropicChatOutbound(Route route, AnthropicTranslateResult translation, AnthropicResponseOptions responseOptions, Func<TokenUsage, decimal?> price)
        : base(route, translation.Stream, translation.UnsupportedParameters, price)
    {
        _body = translation.Body!;
        _responseOptions = responseOptions;
        _stream = new AnthropicStreamTranslator(responseOptions);
    }

    public override TokenUsage? Usage => Stream ? (_stream.IsCompleted || _stream.Usage.TotalTokens > 0 ? _stream.Usage : null) : _usage;

    public override bool Completed => _stream.IsCompleted || _stream.HasError;

    public override bool StreamFailed => _stream.HasError;

    public static AnthropicChatOutbound? CreateFor(Route route, ReadOnlySpan<byte> openAIBody, long created, bool includeUsageChunk, Func<TokenUsage, decimal?> price, out ApiError? error)
    {
        // Anthropic requires max_tokens: the catalog's max output is the default when the client sends none.
        var maxOutput = route.Model?.MaxOutput is { } m and > 0 ? (int)Math.Min(m, int.MaxValue) : (int?)null;
        var translation = AnthropicRequestTranslator.Translate(openAIBody, new AnthropicTranslateOptions
        {
            Model = route.UpstreamModel,
            DefaultMaxTokens = maxOutput ?? FallbackMaxTokens,
            MaxOutputTokens = maxOutput,
        });
        if (!translation.IsSuccess)
        {
            error = ApiError.BadRequest(translation.Error!.Message, translation.Error.Param);
            return null;
        }

        error = Reject(route, translation.UnsupportedParameters);
        if (error is not null)
        {
            return null;
        }

        var exchange = new AnthropicChatOutbound(route, translation, new AnthropicResponseOptions
        {
            Created = created,
            Model = route.UpstreamModel,
            JsonToolName = translation.JsonToolName,
            IncludeUsage = includeUsageChunk,
            Cost = price,
        }, price);
        return exchange;
    }

    public override HttpRequestMessage CreateRequest() =>
        Route.Upstream.CreateRequest(new Uri(Route.Upstream.Settings.BaseUrl + "/v1/messages"), _body);

    public override byte[]? TranslateResponse(ReadOnlySpan<byte> body)
    {
        if (!AnthropicResponseTranslator.TryTranslate(body, _responseOptions, out var result) || result is null)
        {
            return null;
        }

        _usage = result.Usage;
        return result.Body;
    }

    public override ClientError TranslateError(int status, ReadOnlySpan<byte> body)
    {
        var translated = AnthropicResponseTranslator.TranslateError(body, status);
        return new ClientError(translated.StatusCode, translated.Body, null);
    }

    public override void TranslateEvent(ReadOnlySpan<byte> data, List<byte[]> chunks) => _stream.Translate(null, data, chunks);

    public override void Complete(List<byte[]> chunks)
    {
        // The usage chunk, when asked for, was already produced at message_stop.
    }
}
