using Tollgate.Dialects.OpenAI;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// A client's request as its inbound dialect read it, once: the body, what the gateway needs of it (model, stream,
/// output limit, tier, fallback models), and whatever the dialect prepared for its exchanges (a translation, say).
/// </summary>
internal sealed class InboundRequest(ReadOnlyMemory<byte> body, OpenAIRequest fields)
{
    /// <summary>The body as the client sent it.</summary>
    public ReadOnlyMemory<byte> Body { get; } = body;

    /// <summary>The fields read in one pass of the body.</summary>
    public OpenAIRequest Fields { get; } = fields;

    public string Model => Fields.Model!;

    public bool Stream => Fields.Stream;

    /// <summary>The JSON whose strings admission counts as the prompt.</summary>
    public ReadOnlyMemory<byte> Prompt { get; init; }

    /// <summary>Parts outside <see cref="Prompt"/> that providers bill as input (tool definitions, a response schema); admission counts them too.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Definitions { get; init; } = [];

    /// <summary>Choices the request asks for (chat's <c>n</c>), each billed its own output: admission reserves the output limit this many times.</summary>
    public long Choices { get; init; } = 1;

    /// <summary>The request in OpenAI's chat shape, for dialects that translate (made once, on the first attempt that needs it).</summary>
    public byte[]? OpenAIBody { get; set; }

    /// <summary>Parameters the translation to OpenAI's shape had to leave out.</summary>
    public IReadOnlyList<string> Unsupported { get; set; } = [];

    /// <summary>For endpoints priced per unit: the most the request can cost on a model (reserved by admission); null for the token bound.</summary>
    public Func<Tollgate.Core.Catalog.ModelEntry, decimal>? WorstCase { get; init; }

    /// <summary>Whatever else the dialect prepared once for all its attempts (the Responses dialect's translation; the images, audio and moderation endpoints' meter).</summary>
    public object? DialectState { get; init; }

    /// <summary>The client's <c>anthropic-beta</c> header, passed on to Anthropic deployments.</summary>
    public string? AnthropicBeta { get; init; }
}
