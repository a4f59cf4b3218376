namespace Tollgate.Core.Catalog;

/// <summary>
/// Prices of things that are not tokens, in USD per unit. Each applies to the units a call reports
/// (<see cref="Usage.UnitUsage"/>); for a model priced both per token and per unit (gpt-image-1, gpt-4o-mini-tts),
/// the caller reports tokens when the provider returns them and units otherwise, never both.
/// </summary>
public sealed record UnitPrices
{
    /// <summary>Per generated image, when its quality and size have no price of their own in <see cref="Images"/>.</summary>
    public decimal? Image { get; init; }

    /// <summary>Per generated image by quality and size (DALL·E, gpt-image).</summary>
    public IReadOnlyList<ImagePrice>? Images { get; init => field = ValueList<ImagePrice>.From(value); }

    /// <summary>Per pixel of a generated image, where no per-image price fits (priced as width × height).</summary>
    public decimal? Pixel { get; init; }

    /// <summary>Per image in the prompt (Vertex's Gemini, OpenRouter, xAI).</summary>
    public decimal? InputImage { get; init; }

    /// <summary>Per character of input text (tts-1, Polly, Vertex's older models).</summary>
    public decimal? InputCharacter { get; init; }

    /// <summary>Per character of output text.</summary>
    public decimal? OutputCharacter { get; init; }

    /// <summary>Per second of input audio (Whisper and other transcription models, Gemini audio on Vertex).</summary>
    public decimal? InputAudioSecond { get; init; }

    /// <summary>Per second of input video.</summary>
    public decimal? InputVideoSecond { get; init; }

    /// <summary>Per second of generated audio or video (speech, Veo, Sora).</summary>
    public decimal? OutputSecond { get; init; }

    /// <summary>Per query (rerank and search models).</summary>
    public decimal? Query { get; init; }

    /// <summary>Per request, on top of tokens (Perplexity's request fee).</summary>
    public decimal? Request { get; init; }

    /// <summary>Per web search a chat model runs, by search context size.</summary>
    public WebSearchPrices? WebSearch { get; init; }
}
