namespace Tollgate.Dialects.OpenAI;

/// <summary>
/// What the gateway needs to know of an OpenAI-shaped request body, read in one pass without building an
/// object graph: the model, streaming flags, the output cap, and where the parts it may rewrite sit.
/// </summary>
public sealed class OpenAIRequest
{
    public string? Model { get; internal set; }

    /// <summary>Which kind of request was read.</summary>
    public OpenAIRequestReader.Kind Kind { get; internal set; }

    /// <summary>OpenRouter's <c>models</c> array: the models to fall back to, in order, after <c>model</c>. Cut out by <see cref="OpenAIRequestReader.Rewrite"/>.</summary>
    public IReadOnlyList<string> FallbackModels { get; internal set; } = [];
    public bool Stream { get; internal set; }

    /// <summary>Whether the client itself asked for the usage chunk (<c>stream_options.include_usage</c>).</summary>
    public bool ClientIncludeUsage { get; internal set; }

    /// <summary><c>max_completion_tokens</c>, else <c>max_tokens</c>, when the client set one.</summary>
    public long? MaxTokens { get; internal set; }

    /// <summary>The tier the client asked for with <c>service_tier</c> (<c>flex</c>, <c>priority</c>); standard otherwise.</summary>
    public Tollgate.Core.Pricing.ServiceTier ServiceTier { get; internal set; }

    /// <summary>Responses API: the stored response this one continues (<c>previous_response_id</c>).</summary>
    public string? PreviousResponseId { get; internal set; }

    /// <summary>Responses API: whether the response is kept (<c>store</c>, default true as OpenAI's).</summary>
    public bool Store { get; internal set; } = true;

    /// <summary>Non-null when the body is not a valid request: the 400 message.</summary>
    public string? Error { get; internal set; }

    /// <summary>The parameter the error is about, when there is one.</summary>
    public string? ErrorParam { get; internal set; }

    internal int RootStart { get; set; } = -1;
    internal int ModelStart { get; set; } = -1;
    internal int ModelEnd { get; set; } = -1;
    internal int StreamOptionsStart { get; set; } = -1;
    internal int StreamOptionsEnd { get; set; } = -1;
    internal int MessagesStart { get; set; } = -1;
    internal int MessagesEnd { get; set; } = -1;
    internal int InputStart { get; set; } = -1;
    internal int InputEnd { get; set; } = -1;
    internal (int Start, int End)? ModelsCut { get; set; }

    /// <summary>The byte range of the <c>messages</c> array (chat) or <c>input</c> value (embeddings), for token counting.</summary>
    public Range PromptRange => MessagesStart >= 0 ? MessagesStart..MessagesEnd : InputStart >= 0 ? InputStart..InputEnd : 0..0;
}
