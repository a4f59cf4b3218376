#pragma warning disable OPENAI001 // The SDK marks some image options experimental.
using System.ClientModel;
using OpenAI.Images;
using Tollgate.Emulator.Modalities;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.Modalities;

/// <summary>
/// <c>POST /v1/images/edits</c> (multipart: the image streamed through) with the OpenAI .NET SDK, a real gateway and
/// the emulator: the answer as the SDK reads it and the ledger's cost computed by hand, as for generations.
/// </summary>
[Collection(ModalityCollection.Name)]
public sealed class ImageEditTests(ModalityGateway gw)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task GenerateImageEdits_DallE2TwoOfASize_TwoImagesAtThatSizesPrice()
    {
        using var image = new MemoryStream(MediaFiles.Png);
        using var mask = new MemoryStream(MediaFiles.Png);
        var result = await gw.Client().GetImageClient("dall-e-2").GenerateImageEditsAsync(image, "gate.png", "paint the gate red", mask, "mask.png", 2, new ImageEditOptions
        {
            Size = GeneratedImageSize.W512xH512,
            ResponseFormat = GeneratedImageFormat.Bytes,
        });

        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, i => Assert.Equal(PngSignature, i.ImageBytes.ToArray()[..8]));
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal("images", (string?)entry["endpoint"]);
        Assert.Equal("openai/dall-e-2", (string?)entry["model"]);

        // 2 x 0.0179830784 (dall-e-2 at 512x512: 6.86e-08 per pixel x 262,144 pixels) = 0.0359661568
        Assert.Equal(0.0359661568m, entry["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task GenerateImageEdit_GptImage1_SettledByTheTokensItReports()
    {
        // 20 characters: the emulator reports ceil(20 / 4) = 5 input tokens and 4,160 output tokens (high, 1024x1024).
        using var image = new MemoryStream(MediaFiles.Png);
        var result = await gw.Client().GetImageClient("gpt-image-1").GenerateImageEditAsync(image, "gate.png", "a lighthouse at dusk");

        Assert.Equal(PngSignature, result.Value.ImageBytes.ToArray()[..8]);
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal("images", (string?)entry["endpoint"]);

        // 5 x $5/1M + 4160 x $40/1M = 0.000025 + 0.1664 = 0.166425
        E2E.AssertLedgerUsage(entry, input: 5, cacheRead: 0, output: 4160, reasoning: 0, 0.166425m);
    }

    [Fact]
    public async Task GenerateImageEdits_BudgetBelowTheWorstCaseOfTheFormsNAndSize_RefusedBeforeSending()
    {
        var key = await gw.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.05 } });
        var images = gw.Client(key).GetImageClient("dall-e-2");
        var options = new ImageEditOptions { Size = GeneratedImageSize.W512xH512 };

        // Without a quality the reservation takes the model's dearest image, as for a generation: dall-e-2's
        // 1024x1024 at $0.02, so three may cost 3 x 0.02 = 0.06, over $0.05.
        using var three = new MemoryStream(MediaFiles.Png);
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => images.GenerateImageEditsAsync(three, "gate.png", "three gates", 3, options));
        Assert.Equal(429, ex.Status);
        Assert.Contains("may cost up to $0.06.", ex.Message, StringComparison.Ordinal);

        // Two (at most 0.04) fit: the reservation used the form's n (sent after the model), not the dearest ten ($0.20);
        // they are settled at the 512x512 price, 2 x 0.0179830784.
        using var two = new MemoryStream(MediaFiles.Png);
        var result = await images.GenerateImageEditsAsync(two, "gate.png", "two gates", 2, options);
        Assert.Equal(2, result.Value.Count);
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal(0.0359661568m, entry["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task GenerateImageEdit_KeyWithoutTheImageScope_Refused403()
    {
        var audioOnly = await gw.CreateKeyAsync(new { scopes = new[] { "model:audio" } });
        using var image = new MemoryStream(MediaFiles.Png);

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => gw.Client(audioOnly).GetImageClient("dall-e-2").GenerateImageEditAsync(image, "gate.png", "no"));

        Assert.Equal(403, ex.Status);
        Assert.Contains("model:image", ex.Message, StringComparison.Ordinal);
    }
}
