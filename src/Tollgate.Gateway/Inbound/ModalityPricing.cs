using System.Text.Json;
using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;
using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Upstreams;
using Tollgate.Gateway.Upstreams.Passthrough;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// The rules that turn an images, speech or transcription request into a worst case to reserve, and its response into
/// usage to settle, from the catalog's unit and token prices (docs/MODALITIES.md). A model priced both ways (gpt-image,
/// gpt-4o-mini-tts, gpt-4o-transcribe) is settled by the tokens its response reports, else by units; the reservation is
/// the dearer of the two bounds, so either settles within it.
/// </summary>
internal static class ModalityPricing
{
    /// <summary>Output tokens of the largest gpt-image picture (high quality, 1536x1024), per image asked for.</summary>
    public const long MaxImageOutputTokens = 6_240;

    /// <summary>Seconds of speech reserved per input character: far slower than any voice at the slowest speed (0.25).</summary>
    public const decimal MaxSpeechSecondsPerCharacter = 1m;

    /// <summary>Audio tokens reserved per second of audio (OpenAI's audio models use about 10 to 21 a second).</summary>
    public const long MaxAudioTokensPerSecond = 25;

    /// <summary>
    /// Bytes per second of the smallest audio worth uploading (8 kbit/s): the bound on an upload's length when
    /// nothing better is known, so the reservation covers any file of that size.
    /// </summary>
    public const long MinAudioBytesPerSecond = 1_000;

    /// <summary>Bytes per second assumed to settle a transcription whose response gives no duration (128 kbit/s, a common MP3 rate).</summary>
    public const long TypicalAudioBytesPerSecond = 16_000;

    /// <summary>Output tokens reserved for a transcript when the model does not bound its output.</summary>
    public const long MaxTranscriptTokens = 16_384;

    /// <summary>
    /// The most <paramref name="count"/> images can cost: each at the price of the quality and size asked for when
    /// both are given, else at the model's dearest listed image; or, for a model priced by tokens, the prompt and
    /// <see cref="MaxImageOutputTokens"/> per image at its dearest rates, whichever is dearer.
    /// </summary>
    public static decimal ImagesWorstCase(ModelEntry model, long count, string? quality, string? size, long promptTokens)
    {
        var units = model.Prices.Units;
        var each = IsGiven(quality) && IsGiven(size) ? CostCalculator.ImagePrice(units, quality, size) : DearestImage(units);
        var byUnits = count * (each ?? 0m);
        var byTokens = AdmissionControl.WorstCase(model, promptTokens, count * MaxImageOutputTokens);
        return Math.Max(byUnits, byTokens);
    }

    /// <summary>
    /// An images response's usage: the tokens in its <c>usage</c> (gpt-image) when present, else one image per item of
    /// <c>data</c> at the size and quality the response (or else the request) names.
    /// </summary>
    public static ModalityUsage ImagesUsage(ReadOnlySpan<byte> body, string? quality, string? size)
    {
        var reader = new Utf8JsonReader(body);
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            var input = Long(usage, "input_tokens");
            var output = Long(usage, "output_tokens");
            var inputImage = usage.TryGetProperty("input_tokens_details", out var inDetails) ? Long(inDetails, "image_tokens") : 0;

            // Every output token of an images call is an image token unless the response splits them.
            var outputImage = usage.TryGetProperty("output_tokens_details", out var outDetails) && outDetails.TryGetProperty("image_tokens", out var img) && img.TryGetInt64(out var n) ? n : output;
            return new ModalityUsage(new TokenUsage { InputTokens = input, InputImageTokens = inputImage, OutputTokens = output, OutputImageTokens = outputImage }, null);
        }

        var images = root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array ? data.GetArrayLength() : 0;
        return ModalityUsage.Of(new UnitUsage
        {
            Images = images,
            ImageQuality = String(root, "quality") ?? (IsGiven(quality) ? quality : null),
            ImageSize = String(root, "size") ?? (IsGiven(size) ? size : null),
        });
    }

    /// <summary>
    /// The most speech of <paramref name="characters"/> characters can cost: exactly the characters at the model's
    /// per-character price; else its prompt tokens plus <see cref="MaxSpeechSecondsPerCharacter"/> seconds of audio
    /// per character, at the per-second price or at <see cref="MaxAudioTokensPerSecond"/> tokens a second.
    /// </summary>
    public static decimal SpeechWorstCase(ModelEntry model, long characters, long promptTokens)
    {
        var units = model.Prices.Units;
        if (units?.InputCharacter is { } perCharacter)
        {
            return characters * perCharacter;
        }

        var seconds = characters * MaxSpeechSecondsPerCharacter;
        var bySeconds = units?.OutputSecond is { } perSecond ? seconds * perSecond : 0m;
        var byTokens = AdmissionControl.WorstCase(model, promptTokens, (long)Math.Ceiling(seconds) * MaxAudioTokensPerSecond);
        return Math.Max(bySeconds, byTokens);
    }

    /// <summary>
    /// Speech's usage (the response is audio, without usage): the input's characters for a model priced per
    /// character; else the audio's seconds for one priced per second when the audio's length can be read; else null
    /// (the ledger estimates the input's tokens).
    /// </summary>
    public static ModalityUsage SpeechUsage(ReadOnlySpan<byte> audio, string format, ModelEntry? model, long characters)
    {
        var units = model?.Prices.Units;
        if (units?.InputCharacter is not null)
        {
            return ModalityUsage.Of(new UnitUsage { InputCharacters = characters });
        }

        if (units?.OutputSecond is not null && AudioDuration.TryMeasure(audio, format, out var seconds))
        {
            return ModalityUsage.Of(new UnitUsage { OutputSeconds = seconds });
        }

        return default;
    }

    /// <summary>
    /// The most a transcription of an upload of <paramref name="bytes"/> bytes can cost: its longest possible length
    /// (<see cref="MinAudioBytesPerSecond"/>) at the per-second price, or that many seconds of audio tokens plus the
    /// transcript at the token rates, whichever is dearer.
    /// </summary>
    public static decimal TranscriptionWorstCase(ModelEntry model, long bytes)
    {
        var seconds = Math.Max(1, (bytes + MinAudioBytesPerSecond - 1) / MinAudioBytesPerSecond);
        var bySeconds = model.Prices.Units?.InputAudioSecond is { } perSecond ? seconds * perSecond : 0m;
        var byTokens = AdmissionControl.WorstCase(model, seconds * MaxAudioTokensPerSecond, model.MaxOutput ?? MaxTranscriptTokens);
        return Math.Max(bySeconds, byTokens);
    }

    /// <summary>
    /// A transcription's usage: the tokens of its <c>usage</c> (gpt-4o-transcribe: audio tokens among the input) when
    /// the model is priced by tokens; else its seconds, from <c>usage.seconds</c> or <c>duration</c> (verbose_json),
    /// else estimated from the upload's size at <see cref="TypicalAudioBytesPerSecond"/>.
    /// </summary>
    public static ModalityUsage TranscriptionUsage(ReadOnlySpan<byte> body, ModelEntry? model, long uploadBytes)
    {
        TokenUsage? tokens = null;
        decimal? seconds = null;
        if (JsonShapes.IsObject(body))
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                if (usage.TryGetProperty("seconds", out var s) && s.TryGetDecimal(out var reported))
                {
                    seconds = reported;
                }
                else if (usage.TryGetProperty("input_tokens", out _))
                {
                    var audio = usage.TryGetProperty("input_token_details", out var details) ? Long(details, "audio_tokens") : 0;
                    tokens = new TokenUsage { InputTokens = Long(usage, "input_tokens"), InputAudioTokens = audio, OutputTokens = Long(usage, "output_tokens") };
                }
            }

            if (seconds is null && root.TryGetProperty("duration", out var d) && d.TryGetDecimal(out var duration))
            {
                seconds = duration;
            }
        }

        var perSecond = model?.Prices.Units?.InputAudioSecond is not null;
        if (tokens is not null && (!perSecond || seconds is null))
        {
            return new ModalityUsage(tokens, null);
        }

        if (seconds is { } known)
        {
            return ModalityUsage.Of(new UnitUsage { InputAudioSeconds = known });
        }

        var estimated = Math.Round((decimal)uploadBytes / TypicalAudioBytesPerSecond, 3);
        return ModalityUsage.Of(new UnitUsage { InputAudioSeconds = estimated }, estimated: true);
    }

    private static decimal? DearestImage(UnitPrices? units)
    {
        decimal? dearest = units?.Image;
        foreach (var image in units?.Images ?? [])
        {
            dearest = Math.Max(dearest ?? 0m, image.Price);
        }

        return dearest;
    }

    private static bool IsGiven(string? value) => !string.IsNullOrEmpty(value) && value != "auto";

    private static long Long(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
