using System.Buffers.Binary;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Emulator.Modalities;

namespace Tollgate.Emulator.Tests.Modalities;

// The images, audio, moderation and Gemini batch-embedding endpoints over a real socket: valid media, fixed answers.
public sealed class ModalityEndpointTests : IAsyncLifetime
{
    private WebApplication? _app;
    private HttpClient? _client;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapEmulator();
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single().TrimEnd('/') + "/") };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public void Png_ChunksCarryValidCrcsAndTheImageDataInflates()
    {
        var png = MediaFiles.Png;
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var at = 8;
        var types = new List<string>();
        byte[]? idat = null;
        while (at < png.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            var typed = png.AsSpan(at + 4, 4 + length);
            Assert.Equal(Crc(typed), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length)));
            var type = Encoding.ASCII.GetString(typed[..4]);
            types.Add(type);
            if (type == "IDAT")
            {
                idat = typed[4..].ToArray();
            }

            at += 12 + length;
        }

        Assert.Equal(["IHDR", "IDAT", "IEND"], types);
        using var inflated = new ZLibStream(new MemoryStream(idat!), CompressionMode.Decompress);
        using var pixels = new MemoryStream();
        inflated.CopyTo(pixels);
        Assert.Equal(new byte[] { 0, 0x00, 0x80, 0x80 }, pixels.ToArray());
    }

    [Fact]
    public async Task Images_TwoOfDallE2_TwoDataUrlsOfThePng()
    {
        var body = await PostJsonAsync("v1/images/generations", """{"model":"dall-e-2","prompt":"a gate","n":2}""");
        var data = body["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(MediaFiles.Png), (string?)data[0]!["url"]);
        Assert.Null(body["usage"]);
    }

    [Fact]
    public async Task Images_GptImage1Medium_TokenUsageFromTheTable()
    {
        var body = await PostJsonAsync("v1/images/generations", """{"model":"gpt-image-1","prompt":"12345678","quality":"medium","size":"1024x1536"}""");
        Assert.Equal(2, (long)body["usage"]!["input_tokens"]!);
        Assert.Equal(1584, (long)body["usage"]!["output_tokens"]!);
        Assert.NotNull(body["data"]![0]!["b64_json"]);
    }

    [Fact]
    public async Task Speech_Mp3_FramesForTheInputsLength()
    {
        // 40 characters: 2 s at 0.05 s each; ceil(2 x 44100 / 1152) = 77 frames of 417 bytes.
        using var response = await _client!.PostAsync("v1/audio/speech", Json("""{"model":"tts-1","voice":"alloy","input":"forty characters of text for the speech."}"""));
        var audio = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(77 * 417, audio.Length);
        Assert.Equal(new byte[] { 0xFF, 0xFB, 0x90, 0xC0 }, audio[(76 * 417)..((76 * 417) + 4)]);
    }

    [Fact]
    public async Task Speech_UnsupportedFormat_400InOpenAIShape()
    {
        using var response = await _client!.PostAsync("v1/audio/speech", Json("""{"model":"tts-1","voice":"alloy","input":"x","response_format":"opus"}"""));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("response_format", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["param"]);
    }

    [Fact]
    public async Task Transcription_WavVerboseJson_DurationFromTheHeader()
    {
        var wav = MediaFiles.Wav(36_000); // 1.5 s
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(wav), "file", "a.wav" },
            { new StringContent("whisper-1"), "model" },
            { new StringContent("verbose_json"), "response_format" },
        };
        using var response = await _client!.PostAsync("v1/audio/transcriptions", form);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(1.5m, (decimal)body["duration"]!);
        Assert.Equal("Transcript of a.wav: 72044 bytes, 1.5 seconds.", (string?)body["text"]);
    }

    [Fact]
    public async Task Moderations_FlagsViolence()
    {
        var body = await PostJsonAsync("v1/moderations", """{"model":"omni-moderation-latest","input":"kill it"}""");
        var result = body["results"]![0]!;
        Assert.True((bool)result["flagged"]!);
        Assert.True((bool)result["categories"]!["violence"]!);
        Assert.Equal(13, result["category_scores"]!.AsObject().Count);
    }

    /// <summary>PNG's CRC-32 (ISO 3309), bit by bit: independent of the emulator's table.</summary>
    private static uint Crc(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
            }
        }

        return ~crc;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private async Task<JsonNode> PostJsonAsync(string path, string json)
    {
        using var response = await _client!.PostAsync(path, Json(json));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }
}
