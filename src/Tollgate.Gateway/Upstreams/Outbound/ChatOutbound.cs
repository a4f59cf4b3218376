using Tollgate.Core.Usage;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Upstreams.Outbound;

/// <summary>
/// An outbound dialect: one OpenAI-shaped chat request (the shape every translation goes through) sent to a deployment
/// of its dialect. Builds the upstream HTTP request and turns the upstream's response, stream events and errors back
/// into OpenAI shapes. One instance per attempt; holds the stream translation state.
/// </summary>
internal abstract class ChatOutbound(Route route, bool stream, IReadOnlyList<string> droppedParameters, Func<TokenUsage, decimal?> price)
{
    public Route Route { get; } = route;

    public bool Stream { get; } = stream;

    /// <summary>Parameters the upstream cannot express that were left out (policy <see cref="UnsupportedParameterPolicy.Drop"/>).</summary>
    public IReadOnlyList<string> DroppedParameters { get; } = droppedParameters;

    /// <summary>Usage known so far; final once the response or stream has ended. Null when the upstream reported none.</summary>
    public abstract TokenUsage? Usage { get; }

    /// <summary>For streams: whether the upstream reached its proper end (not cut off).</summary>
    public abstract bool Completed { get; }

    /// <summary>For streams: whether the upstream sent an error event mid-stream (already forwarded as an error chunk).</summary>
    public virtual bool StreamFailed => false;

    /// <summary>The upstream HTTP request, with the provider's credentials.</summary>
    public abstract HttpRequestMessage CreateRequest();

    /// <summary>A whole upstream response as an OpenAI <c>chat.completion</c> with <c>usage.cost</c>; null when it cannot be read.</summary>
    public abstract byte[]? TranslateResponse(ReadOnlySpan<byte> body);

    /// <summary>An upstream error as an OpenAI error (status, body, Retry-After seconds when the provider said).</summary>
    public abstract ClientError TranslateError(int status, ReadOnlySpan<byte> body);

    /// <summary>One upstream SSE event, adding the OpenAI chunk payloads it becomes (never <c>[DONE]</c>).</summary>
    public abstract void TranslateEvent(ReadOnlySpan<byte> data, List<byte[]> chunks);

    /// <summary>After the upstream stream ended: the closing chunks (the usage chunk, when it is wanted).</summary>
    public abstract void Complete(List<byte[]> chunks);

    /// <summary>The cost of <paramref name="usage"/>, as the request's record prices it.</summary>
    public decimal? Price(TokenUsage usage) => price(usage);

    /// <summary>
    /// Prepares the exchange for <paramref name="openAIBody"/> on <paramref name="route"/>, or the 400 that the
    /// provider's unsupported-parameter policy or a malformed request calls for.
    /// </summary>
    /// <param name="includeUsageChunk">Whether the caller wants OpenAI's final usage chunk in streams.</param>
    /// <param name="price">Prices usage for <c>usage.cost</c> (the request record's pricing).</param>
    public static ChatOutbound? Create(Route route, ReadOnlySpan<byte> openAIBody, long created, bool includeUsageChunk, Func<TokenUsage, decimal?> price, out ApiError? error)
    {
        return route.Upstream.Dialect switch
        {
            UpstreamDialect.Gemini => GeminiChatOutbound.CreateFor(route, openAIBody, created, includeUsageChunk, price, out error),
            UpstreamDialect.Anthropic => AnthropicChatOutbound.CreateFor(route, openAIBody, created, includeUsageChunk, price, out error),
            _ => OpenAIChatOutbound.CreateFor(route, openAIBody, includeUsageChunk, price, out error),
        };
    }

    /// <summary>The 400 for the first unsupported parameter under <see cref="UnsupportedParameterPolicy.Reject"/>, else null.</summary>
    protected static ApiError? Reject(Route route, IReadOnlyList<string> unsupported) =>
        route.Upstream.Settings.UnsupportedParameters == UnsupportedParameterPolicy.Reject && unsupported.Count > 0
            ? ApiError.BadRequest($"The parameter '{unsupported[0]}' is not supported by the provider '{route.Upstream.Id}' ({DialectName(route.Upstream.Dialect)} API).", unsupported[0], "unsupported_parameter")
            : null;

    /// <summary>The dialect as tollgate.json spells it.</summary>
    public static string DialectName(UpstreamDialect dialect) => dialect switch
    {
        UpstreamDialect.Anthropic => "anthropic",
        UpstreamDialect.Gemini => "gemini",
        _ => "openai",
    };
}
