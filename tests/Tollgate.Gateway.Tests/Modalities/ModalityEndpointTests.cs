#pragma warning disable OPENAI001 // The SDK marks some of these clients' options experimental.
using System.ClientModel;
using System.Net;
using System.Text.Json.Nodes;
using OpenAI.Audio;
using OpenAI.Images;
using OpenAI.Moderations;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.Modalities;

/// <summary>
/// Images, speech and moderations through the official OpenAI .NET SDK, a real gateway and the emulator: the
/// answer as the SDK reads it, and the ledger's cost against the catalog's prices computed by hand.
/// </summary>
[Collection(ModalityCollection.Name)]
public sealed class ModalityEndpointTests(ModalityGateway gw)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task GenerateImage_DallE3StandardSquare_PngAndPerImagePriceInLedger()
    {
        var result = await gw.Client().GetImageClient("dall-e-3").GenerateImageAsync("a toll gate at dawn", new ImageGenerationOptions
        {
            Quality = GeneratedImageQuality.Standard,
            Size = GeneratedImageSize.W1024xH1024,
            ResponseFormat = GeneratedImageFormat.Bytes,
        });

        Assert.Equal(PngSignature, result.Value.ImageBytes.ToArray()[..8]);
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal("images", (string?)entry["endpoint"]);
        Assert.Equal("openai/dall-e-3", (string?)entry["model"]);

        // The catalog's standard 1024x1024 price: 3.81469e-08 per pixel x 1,048,576 pixels = 0.0399999238144.
        Assert.Equal(0.0399999238144m, entry["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task GenerateImages_DallE2TwoOfASize_TwoImagesAtThatSizesPrice()
    {
        var result = await gw.Client().GetImageClient("dall-e-2").GenerateImagesAsync("two gates", 2, new ImageGenerationOptions { Size = GeneratedImageSize.W512xH512 });

        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, image => Assert.StartsWith("data:image/png;base64,", image.ImageUri.ToString(), StringComparison.Ordinal));

        // 2 x 0.0179830784 (dall-e-2 at 512x512) = 0.0359661568
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal(0.0359661568m, entry["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task GenerateImage_GptImage1_SettledByTheTokensItReports()
    {
        // 20 characters: the emulator reports ceil(20 / 4) = 5 input tokens and 4,160 output tokens (high, 1024x1024).
        var result = await gw.Client().GetImageClient("gpt-image-1").GenerateImageAsync("a lighthouse at dusk");

        Assert.Equal(PngSignature, result.Value.ImageBytes.ToArray()[..8]);
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(result));

        // 5 x $5/1M + 4160 x $40/1M = 0.000025 + 0.1664 = 0.166425
        E2E.AssertLedgerUsage(entry, input: 5, cacheRead: 0, output: 4160, reasoning: 0, 0.166425m);
    }

    [Fact]
    public async Task GenerateSpeech_Tts1_Mp3BytesAndPerCharacterPrice()
    {
        const string text = "Hello from the toll gate.";
        var result = await gw.Client().GetAudioClient("tts-1").GenerateSpeechAsync(text, GeneratedSpeechVoice.Alloy);

        var audio = result.Value.ToArray();
        Assert.Equal([0xFF, 0xFB], audio[..2]);
        Assert.Equal("audio/mpeg", result.GetRawResponse().Headers.TryGetValue("Content-Type", out var type) ? type : null);

        // 25 characters x $0.000015 = 0.000375
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal("speech", (string?)entry["endpoint"]);
        Assert.Equal(0.000375m, entry["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task GenerateSpeech_GptMiniTtsWav_PricedPerSecondOfTheAudio()
    {
        // 20 characters: the emulator speaks 0.05 s a character, a 1.000 s WAV; $0.00025 a second.
        var result = await gw.Client().GetAudioClient("gpt-4o-mini-tts").GenerateSpeechAsync("twenty characters ok", GeneratedSpeechVoice.Nova, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav });

        var audio = result.Value.ToArray();
        Assert.Equal("RIFF"u8.ToArray(), audio[..4]);
        Assert.Equal(44 + 48_000, audio.Length);
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal(0.00025m, entry["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task ClassifyText_OmniModeration_FlaggedAndFree()
    {
        var result = await gw.Client().GetModerationClient("omni-moderation-latest").ClassifyTextAsync("I will kill the stuck process");

        Assert.True(result.Value.Flagged);
        Assert.True(result.Value.Violence.Flagged);
        Assert.False(result.Value.Hate.Flagged);
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal("moderations", (string?)entry["endpoint"]);
        Assert.Equal(0m, entry["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task GenerateImage_BudgetBelowTheWorstCase_RefusedBeforeSending()
    {
        // hd 1792x1024 on dall-e-3 may cost $0.11999117312 (the message rounds to 8 places): more than the $0.05 budget, so it is refused whole.
        var key = await gw.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.05 } });
        var images = gw.Client(key).GetImageClient("dall-e-3");
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => images.GenerateImageAsync("a wide gate", new ImageGenerationOptions { Quality = GeneratedImageQuality.High, Size = GeneratedImageSize.W1792xH1024 }));
        Assert.Equal(429, ex.Status);
        Assert.Contains("insufficient_quota", ex.Message, StringComparison.Ordinal);
        Assert.Contains("may cost up to $0.11999117", ex.Message, StringComparison.Ordinal);

        // Speech of 25 characters (at most $0.000375) fits the same budget.
        var speech = await gw.Client(key).GetAudioClient("tts-1").GenerateSpeechAsync("Hello from the toll gate.", GeneratedSpeechVoice.Alloy);
        Assert.NotEmpty(speech.Value.ToArray());
    }

    [Fact]
    public async Task Endpoints_KeyWithoutTheScope_Refused403()
    {
        var imageOnly = await gw.CreateKeyAsync(new { scopes = new[] { "model:image" } });
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => gw.Client(imageOnly).GetAudioClient("tts-1").GenerateSpeechAsync("hi", GeneratedSpeechVoice.Alloy));
        Assert.Equal(403, ex.Status);
        Assert.Contains("model:audio", ex.Message, StringComparison.Ordinal);
        ex = await Assert.ThrowsAsync<ClientResultException>(() => gw.Client(imageOnly).GetModerationClient("omni-moderation-latest").ClassifyTextAsync("hi"));
        Assert.Equal(403, ex.Status);
        Assert.Contains("model:moderation", ex.Message, StringComparison.Ordinal);

        var image = await gw.Client(imageOnly).GetImageClient("dall-e-2").GenerateImageAsync("allowed");
        Assert.NotNull(image.Value.ImageUri);
    }

    [Fact]
    public async Task GenerateImage_ModelOutsideAllowedModels_Refused403()
    {
        var key = await gw.CreateKeyAsync(new { allowed_models = new[] { "openai/tts-*" } });
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => gw.Client(key).GetImageClient("dall-e-2").GenerateImageAsync("not allowed"));
        Assert.Equal(403, ex.Status);
        Assert.Contains("allowed_models", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/images/generations", """{"model":"dall-e-2"}""", "prompt")]
    [InlineData("/v1/images/generations", """{"model":"dall-e-2","prompt":"x","n":11}""", "n")]
    [InlineData("/v1/images/generations", """{"model":"gpt-image-1","prompt":"x","stream":true}""", "stream")]
    [InlineData("/v1/audio/speech", """{"model":"tts-1","voice":"alloy"}""", "input")]
    [InlineData("/v1/audio/speech", """{"model":"tts-1","voice":"alloy","input":"x","response_format":"ogg"}""", "response_format")]
    [InlineData("/v1/moderations", """{"input":"x"}""", "model")]
    public async Task Endpoints_InvalidRequest_400InOpenAIShape(string path, string body, string param)
    {
        using var response = await gw.PostAsync(path, body);
        var error = await E2E.AssertErrorAsync(response, (int)HttpStatusCode.BadRequest);
        Assert.Equal(param, (string?)error["param"]);
    }

    [Fact]
    public async Task GenerateImage_GeminiDeployment_400UnsupportedEndpoint()
    {
        using var response = await gw.PostAsync("/v1/images/generations", """{"model":"gemini/gemini-2.5-flash","prompt":"x"}""");
        var error = await E2E.AssertErrorAsync(response, (int)HttpStatusCode.BadRequest);
        Assert.Equal("unsupported_endpoint", (string?)error["code"]);
    }
}
