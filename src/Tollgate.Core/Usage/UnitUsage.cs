namespace Tollgate.Core.Usage;

/// <summary>
/// What a call used that is not tokens: generated images, characters, seconds of audio or video, queries. Each
/// count is billed at the model's unit price (<see cref="Catalog.UnitPrices"/>); a count the model has no price
/// for is named in <see cref="Pricing.Cost.Unpriced"/> rather than billed at a guess.
/// </summary>
public sealed record UnitUsage
{
    /// <summary>Images generated.</summary>
    public long Images { get; init; }

    /// <summary>Their size as the OpenAI API writes it (<c>1024x1024</c>); picks the per-image price.</summary>
    public string? ImageSize { get; init; }

    /// <summary>Their quality (<c>standard</c>, <c>hd</c>, <c>low</c>, <c>medium</c>, <c>high</c>); picks the per-image price.</summary>
    public string? ImageQuality { get; init; }

    /// <summary>Images in the prompt, for models priced per input image.</summary>
    public long InputImages { get; init; }

    /// <summary>Characters of input text (text-to-speech priced per character).</summary>
    public long InputCharacters { get; init; }

    /// <summary>Characters of output text.</summary>
    public long OutputCharacters { get; init; }

    /// <summary>Seconds of input audio (transcription); fractions are billed as they are.</summary>
    public decimal InputAudioSeconds { get; init; }

    /// <summary>Seconds of input video.</summary>
    public decimal InputVideoSeconds { get; init; }

    /// <summary>Seconds of generated audio or video.</summary>
    public decimal OutputSeconds { get; init; }

    /// <summary>Queries, for rerank and search models.</summary>
    public long Queries { get; init; }

    /// <summary>Requests, for models with a per-request fee.</summary>
    public long Requests { get; init; }

    /// <summary>Web searches a chat model ran.</summary>
    public long WebSearches { get; init; }

    /// <summary><c>low</c>, <c>medium</c> or <c>high</c>; <c>medium</c> (OpenAI's default) when not given.</summary>
    public string? SearchContextSize { get; init; }

    public static UnitUsage None { get; } = new();
}
