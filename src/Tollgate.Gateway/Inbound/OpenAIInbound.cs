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
/// OpenAI's Chat Completions (<c>/v1/chat/completions</c>) and Embeddings (<c>/v1/embeddings</c>): a passthrough to
/// OpenAI-compatible deployments, a translation to the others (embeddings: Gemini's <c>batchEmbedContents</c>);
/// errors in OpenAI's shape.
/// </summary>
internal sealed class OpenAIInbound(OpenAIRequestReader.Kind kind) : InboundDialect
{
    public static OpenAIInbound Chat { get; } = new(OpenAIRequestReader.Kind.Chat);

    public static OpenAIInbound Embeddings { get; } = new(OpenAIRequestReader.Kind.Embeddings);

    public override string Endpoint => kind == OpenAIRequestReader.Kind.Chat ? "chat" : "embeddings";

    public override bool AllowPublic => true;

    public override InboundRequest? Read(ReadOnlyMemory<byte> body, HttpRequest httpRequest, out ApiError? error)
    {
        var fields = OpenAIRequestReader.Read(body.Span, kind);
        if (fields.Error is not null)
        {
            error = ApiError.BadRequest(fields.Error, fields.ErrorParam);
            return new InboundRequest(body, fields);
        }

        error = null;
        if (kind != OpenAIRequestReader.Kind.Chat)
        {
            return new InboundRequest(body, fields) { Prompt = body[fields.PromptRange] };
        }

        var definitions = Definitions(body, out var choices);
        return new InboundRequest(body, fields) { Prompt = body[fields.PromptRange], Definitions = definitions, Choices = choices };
    }

    /// <summary>The most choices admission reserves output for: OpenAI allows 128, a larger <c>n</c> is refused by the provider or billed.</summary>
    internal const long MaxChoices = 10_000;

    /// <summary>
    /// The top-level members of a chat body outside <c>messages</c> that providers bill as input: <c>tools</c>,
    /// <c>functions</c> and <c>response_format</c> (its JSON schema). Slices of the body, not copies.
    /// </summary>
    /// <param name="body">The chat body.</param>
    /// <param name="choices">The request's <c>n</c> (choices, each billed its output), 1 when absent, rounded up and at most <see cref="MaxChoices"/>.</param>
    internal static IReadOnlyList<ReadOnlyMemory<byte>> Definitions(ReadOnlyMemory<byte> body, out long choices)
    {
        List<ReadOnlyMemory<byte>>? parts = null;
        choices = 1;
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(body.Span);
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
            {
                return [];
            }

            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                var billed = reader.ValueTextEquals("tools"u8) || reader.ValueTextEquals("functions"u8) || reader.ValueTextEquals("response_format"u8);
                var n = reader.ValueTextEquals("n"u8);
                reader.Read();
                if (n && reader.TokenType == System.Text.Json.JsonTokenType.Number && reader.TryGetDouble(out var value))
                {
                    choices = value >= MaxChoices ? MaxChoices : Math.Max(1, (long)Math.Ceiling(value));
                }

                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (billed)
                {
                    (parts ??= []).Add(body[start..(int)reader.BytesConsumed]);
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // The reader already validated the body; a part that cannot be read is not there.
        }

        return (IReadOnlyList<ReadOnlyMemory<byte>>?)parts ?? [];
    }

    /// <summary>Chat only: embeddings have no output.</summary>
    public override bool ClampsOutput => kind == OpenAIRequestReader.Kind.Chat;

    /// <summary>Either limit the client set is lowered; a request with neither gets <c>max_completion_tokens</c>, OpenAI's current name (the translators read it too).</summary>
    public override byte[] WithOutputLimit(ReadOnlySpan<byte> body, long limit) =>
        OutputLimitRewriter.SetTopLevel(body, limit, "max_completion_tokens", "max_completion_tokens", "max_tokens");

    public override Exchange? CreateExchange(InboundRequest request, Route deployment, Func<TokenUsage, decimal?> price, long created, out ApiError? error)
    {
        if (deployment.Upstream.Dialect == UpstreamDialect.OpenAI)
        {
            error = null;
            return new OpenAIPassthroughExchange(deployment, request.Fields, request.Body, price);
        }

        if (kind == OpenAIRequestReader.Kind.Embeddings && deployment.Upstream.Dialect == UpstreamDialect.Gemini)
        {
            return OpenAIToGeminiEmbeddingsExchange.Create(deployment, request.Fields, request.Body, price, out error);
        }

        if (kind != OpenAIRequestReader.Kind.Chat)
        {
            error = ApiError.BadRequest($"The provider '{deployment.Upstream.Id}' ({ChatOutbound.DialectName(deployment.Upstream.Dialect)} API) does not serve this endpoint through Tollgate.", "model", "unsupported_endpoint");
            return null;
        }

        var body = OpenAIRequestReader.WithoutFallbackModels(request.Body, request.Fields);
        var outbound = ChatOutbound.Create(deployment, body.Span, created, request.Fields.ClientIncludeUsage, price, out error);
        return outbound is null ? null : new TranslatedExchange(outbound, OpenAIClientWriter.Instance, body);
    }

    public override Task WriteErrorAsync(HttpContext context, ApiError error) => error.WriteAsync(context);
}
