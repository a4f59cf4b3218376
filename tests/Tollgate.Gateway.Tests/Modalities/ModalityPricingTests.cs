using System.Text;
using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;
using Tollgate.Dialects.Gemini;
using Tollgate.Gateway.Inbound;

namespace Tollgate.Gateway.Tests.Modalities;

/// <summary>Each modality's reservation and settlement rule, against prices written here and costs computed by hand.</summary>
public sealed class ModalityPricingTests
{
    private static readonly ModelEntry DallE = new()
    {
        Provider = "openai",
        Model = "dall-e-3",
        Prices = new ModelPrices
        {
            Units = new UnitPrices
            {
                Image = 0.04m,
                Images = [new ImagePrice { Quality = "standard", Size = "1024x1024", Price = 0.04m }, new ImagePrice { Quality = "hd", Size = "1792x1024", Price = 0.12m }],
            },
        },
    };

    private static readonly ModelEntry GptImage = new()
    {
        Provider = "openai",
        Model = "gpt-image-1",
        Prices = new ModelPrices { Input = 5m, Output = 40m, Units = new UnitPrices { Images = [new ImagePrice { Quality = "high", Size = "1536x1024", Price = 0.25m }] } },
    };

    private static readonly ModelEntry Tts = new() { Provider = "openai", Model = "tts-1", Prices = new ModelPrices { Units = new UnitPrices { InputCharacter = 0.000015m } } };

    private static readonly ModelEntry MiniTts = new() { Provider = "openai", Model = "gpt-4o-mini-tts", Prices = new ModelPrices { Input = 0.6m, Output = 12m, Units = new UnitPrices { OutputSecond = 0.00025m } } };

    private static readonly ModelEntry Whisper = new() { Provider = "openai", Model = "whisper-1", Prices = new ModelPrices { Units = new UnitPrices { InputAudioSecond = 0.0001m } } };

    private static readonly ModelEntry Transcribe = new() { Provider = "openai", Model = "gpt-4o-transcribe", MaxOutput = 2000, Prices = new ModelPrices { Input = 2.5m, Output = 10m, InputAudio = 6m } };

    [Fact]
    public void ImagesWorstCase_SizeAndQualityGiven_ThatPriceTimesN()
    {
        // 3 x 0.04; no token price, so the token bound is 0.
        Assert.Equal(0.12m, ModalityPricing.ImagesWorstCase(DallE, 3, "standard", "1024x1024", 10));
    }

    [Fact]
    public void ImagesWorstCase_NotGiven_DearestListedImage()
    {
        // 2 x 0.12 (hd 1792x1024, the dearest), not the flat 0.04.
        Assert.Equal(0.24m, ModalityPricing.ImagesWorstCase(DallE, 2, null, "auto", 10));
    }

    [Fact]
    public void ImagesWorstCase_TokenPricedModel_DearerOfUnitsAndTokens()
    {
        // Units: 1 x 0.25. Tokens: prompt 100 + 25 + 16 = 141 x $5/1M = 0.000705, plus 6,240 x $40/1M = 0.2496: 0.250305.
        Assert.Equal(0.250305m, ModalityPricing.ImagesWorstCase(GptImage, 1, null, null, 100));
    }

    [Fact]
    public void ImagesUsage_WithoutUsage_OneImagePerDataItemAtTheRequestedSize()
    {
        var usage = ModalityPricing.ImagesUsage("""{"created":1,"data":[{"url":"u"},{"url":"v"}]}"""u8, "hd", "1792x1024");
        var cost = CostCalculator.Calculate(DallE, usage.Tokens!, usage.Units!).Total;

        // 2 x 0.12
        Assert.Equal(0.24m, cost);
    }

    [Fact]
    public void ImagesUsage_WithTokenUsage_BilledByTokensNotUnits()
    {
        var usage = ModalityPricing.ImagesUsage("""{"data":[{"b64_json":"x"}],"usage":{"input_tokens":50,"input_tokens_details":{"text_tokens":50,"image_tokens":0},"output_tokens":6240,"total_tokens":6290}}"""u8, null, null);
        Assert.Null(usage.Units);
        var cost = CostCalculator.Calculate(GptImage, usage.Tokens!).Total;

        // 50 x 5/1M + 6240 x 40/1M = 0.00025 + 0.2496 = 0.24985
        Assert.Equal(0.24985m, cost);
    }

    [Fact]
    public void Speech_PerCharacterModel_ReservedAndSettledByCharacters()
    {
        // 1,000 characters x 0.000015 = 0.015, both ways.
        Assert.Equal(0.015m, ModalityPricing.SpeechWorstCase(Tts, 1000, 300));
        var usage = ModalityPricing.SpeechUsage([0xFF, 0xFB], "mp3", Tts, 1000);
        Assert.Equal(0.015m, CostCalculator.Calculate(Tts, usage.Tokens!, usage.Units!).Total);
    }

    [Fact]
    public void Speech_PerSecondModel_WavSettledByItsSeconds()
    {
        // A 2.5 s WAV (24 kHz, 16-bit mono: 120,000 data bytes) x 0.00025 = 0.000625.
        var wav = TranscriptionTests.Wav(2.5);
        var usage = ModalityPricing.SpeechUsage(wav, "wav", MiniTts, 40);
        Assert.Equal(2.5m, usage.Units!.OutputSeconds);
        Assert.Equal(0.000625m, CostCalculator.Calculate(MiniTts, usage.Tokens!, usage.Units!).Total);
    }

    [Fact]
    public void SpeechWorstCase_PerSecondModel_DearerOfSecondsAndTokens()
    {
        // 40 chars: 40 s x 0.00025 = 0.01. Tokens: (20 + 5 + 16) = 41 x 0.6/1M + 40 x 25 = 1,000 x 12/1M = 0.0000246 + 0.012.
        Assert.Equal(0.0120246m, ModalityPricing.SpeechWorstCase(MiniTts, 40, 20));
    }

    [Fact]
    public void Speech_UnreadableAudioOnPerSecondModel_LeftToTheTokenEstimate()
    {
        var usage = ModalityPricing.SpeechUsage([1, 2, 3], "opus", MiniTts, 40);
        Assert.Null(usage.Tokens);
        Assert.Null(usage.Units);
    }

    [Fact]
    public void Transcription_WhisperSeconds_FromUsageThenDuration()
    {
        var fromUsage = ModalityPricing.TranscriptionUsage("""{"text":"t","usage":{"type":"duration","seconds":7}}"""u8, Whisper, 1);
        var fromDuration = ModalityPricing.TranscriptionUsage("""{"text":"t","duration":12.5}"""u8, Whisper, 1);

        // 7 x 0.0001 and 12.5 x 0.0001
        Assert.Equal(0.0007m, CostCalculator.Calculate(Whisper, fromUsage.Tokens!, fromUsage.Units!).Total);
        Assert.Equal(0.00125m, CostCalculator.Calculate(Whisper, fromDuration.Tokens!, fromDuration.Units!).Total);
        Assert.False(fromDuration.Estimated);
    }

    [Fact]
    public void Transcription_NoDuration_EstimatedFromTheUploadSize()
    {
        // Text format: 48,000 bytes at 16,000 a second = 3 s x 0.0001 = 0.0003, marked estimated.
        var usage = ModalityPricing.TranscriptionUsage("just text\n"u8, Whisper, 48_000);
        Assert.True(usage.Estimated);
        Assert.Equal(0.0003m, CostCalculator.Calculate(Whisper, usage.Tokens!, usage.Units!).Total);
    }

    [Fact]
    public void Transcription_TokenModel_AudioTokensAtTheAudioRate()
    {
        var usage = ModalityPricing.TranscriptionUsage("""{"text":"t","usage":{"type":"tokens","input_tokens":100,"input_token_details":{"text_tokens":0,"audio_tokens":100},"output_tokens":20,"total_tokens":120}}"""u8, Transcribe, 1);

        // 100 audio x 6/1M + 20 x 10/1M = 0.0006 + 0.0002 = 0.0008
        Assert.Equal(0.0008m, CostCalculator.Calculate(Transcribe, usage.Tokens!).Total);
    }

    [Fact]
    public void TranscriptionWorstCase_FromTheUploadSize()
    {
        // 100,000 bytes at 1,000 a second: 100 s x 0.0001 = 0.01.
        Assert.Equal(0.01m, ModalityPricing.TranscriptionWorstCase(Whisper, 100_000));

        // gpt-4o-transcribe: 100 s x 25 = 2,500 tokens (+ 625 + 16 = 3,141) x 6/1M (the dearest input) + 2,000 x 10/1M = 0.018846 + 0.02.
        Assert.Equal(0.038846m, ModalityPricing.TranscriptionWorstCase(Transcribe, 100_000));
    }

    [Fact]
    public void AudioDuration_Mp3Frames_CountedAtTheirRate()
    {
        // 10 frames of MPEG-1 Layer III at 44.1 kHz: 10 x 1152 / 44100 = 0.261 s.
        var mp3 = new byte[10 * 417];
        for (var i = 0; i < 10; i++)
        {
            mp3[i * 417] = 0xFF;
            mp3[(i * 417) + 1] = 0xFB;
            mp3[(i * 417) + 2] = 0x90;
            mp3[(i * 417) + 3] = 0xC0;
        }

        Assert.True(AudioDuration.TryMeasure(mp3, "mp3", out var seconds));
        Assert.Equal(0.261m, seconds);
        Assert.False(AudioDuration.TryMeasure("not audio"u8, "mp3", out _));
    }

    [Fact]
    public void GeminiEmbeddings_RequestPerInput_ResponseAsBase64Float32()
    {
        var body = GeminiEmbeddingsTranslator.TranslateRequest("""{"model":"x","input":["a","b"],"dimensions":2}"""u8, "gemini-embedding-001", out var base64, out var error, out _);
        Assert.Null(error);
        Assert.False(base64);
        Assert.Equal("""{"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"a"}]},"outputDimensionality":2},{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"b"}]},"outputDimensionality":2}]}""", Encoding.UTF8.GetString(body!));

        var response = GeminiEmbeddingsTranslator.TranslateResponse("""{"embeddings":[{"values":[1.0,-0.5]}]}"""u8, "gemini/e", base64: true, 2, 0.0000003m);
        var expected = Convert.ToBase64String([.. BitConverter.GetBytes(1.0f), .. BitConverter.GetBytes(-0.5f)]);
        Assert.Equal($$$"""{"object":"list","data":[{"object":"embedding","index":0,"embedding":"{{{expected}}}"}],"model":"gemini/e","usage":{"prompt_tokens":2,"total_tokens":2,"cost":0.0000003}}""", Encoding.UTF8.GetString(response!));
    }
}
