namespace Tollgate.Core.Usage;

/// <summary>
/// Token usage of one call, normalized across providers. Every kind is counted once:
/// <see cref="InputTokens"/> excludes cache reads and writes, and <see cref="ReasoningTokens"/>
/// is a part of <see cref="OutputTokens"/>, never added to it.
/// </summary>
public sealed record TokenUsage
{
    /// <summary>Input tokens billed at the plain input rate (no cache read, no cache write).</summary>
    public long InputTokens { get; init; }

    /// <summary>Input tokens read from the provider's prompt cache.</summary>
    public long CacheReadTokens { get; init; }

    /// <summary>Input tokens written to a cache that lives 5 minutes (Anthropic's default).</summary>
    public long CacheWrite5mTokens { get; init; }

    /// <summary>Input tokens written to a cache that lives 1 hour.</summary>
    public long CacheWrite1hTokens { get; init; }

    /// <summary>All output tokens, reasoning included.</summary>
    public long OutputTokens { get; init; }

    /// <summary>
    /// The part of <see cref="OutputTokens"/> spent on reasoning: billed as output, or at the model's reasoning rate
    /// where it has one; never added to the output a second time.
    /// </summary>
    public long ReasoningTokens { get; init; }

    /// <summary>The part of the uncached input that is audio, billed at the audio input rate where one exists.</summary>
    public long InputAudioTokens { get; init; }

    /// <summary>The part of <see cref="OutputTokens"/> that is audio, billed at the audio output rate where one exists.</summary>
    public long OutputAudioTokens { get; init; }

    /// <summary>The part of <see cref="CacheReadTokens"/> that is audio, billed at the cached audio rate where one exists.</summary>
    public long CacheReadAudioTokens { get; init; }

    /// <summary>The part of the uncached input that is image tokens, billed at the image input rate where one exists.</summary>
    public long InputImageTokens { get; init; }

    /// <summary>The part of <see cref="OutputTokens"/> that is image tokens, billed at the image output rate where one exists.</summary>
    public long OutputImageTokens { get; init; }

    /// <summary>All prompt tokens: uncached, cache reads and cache writes.</summary>
    public long PromptTokens => InputTokens + CacheReadTokens + CacheWrite5mTokens + CacheWrite1hTokens;

    /// <summary>Prompt and output tokens together.</summary>
    public long TotalTokens => PromptTokens + OutputTokens;

    public static TokenUsage Empty { get; } = new();
}
