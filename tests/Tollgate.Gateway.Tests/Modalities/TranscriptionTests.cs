#pragma warning disable OPENAI001 // The SDK marks some transcription options experimental.
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OpenAI.Audio;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.Modalities;

/// <summary>
/// Transcriptions and translations (multipart uploads) through the OpenAI .NET SDK and raw multipart: the file
/// streamed to the emulator, the cost per second or per token in the ledger, the body limit enforced with a 413.
/// </summary>
[Collection(ModalityCollection.Name)]
public sealed class TranscriptionTests(ModalityGateway gw)
{
    [Fact]
    public async Task TranscribeAudio_WhisperVerboseJson_DurationAndPerSecondCost()
    {
        // A 2.5 s WAV: verbose_json reports duration 2.5; 2.5 x $0.0001 = 0.00025.
        using var wav = new MemoryStream(Wav(2.5));
        var result = await gw.Client().GetAudioClient("whisper-1").TranscribeAudioAsync(wav, "speech.wav", new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Verbose });

        Assert.StartsWith("Transcript of speech.wav", result.Value.Text, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(2.5), result.Value.Duration);
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal("transcriptions", (string?)entry["endpoint"]);
        Assert.Equal("openai/whisper-1", (string?)entry["model"]);
        Assert.Equal(0.00025m, entry["cost"]!.GetValue<decimal>());
        Assert.False(entry["estimated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task TranscribeAudio_Gpt4oTranscribe_AudioTokensAtTheAudioRate()
    {
        // 2.5 s: the emulator reports 25 audio tokens and ceil(52 / 4) = 13 output tokens for
        // "Transcript of speech.wav: 120044 bytes, 2.5 seconds." -> 25 x $6/1M + 13 x $10/1M = 0.00015 + 0.00013.
        using var wav = new MemoryStream(Wav(2.5));
        var result = await gw.Client().GetAudioClient("gpt-4o-transcribe").TranscribeAudioAsync(wav, "speech.wav");

        Assert.Equal("Transcript of speech.wav: 120044 bytes, 2.5 seconds.", result.Value.Text);
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(result));
        E2E.AssertLedgerUsage(entry, input: 25, cacheRead: 0, output: 13, reasoning: 0, 0.00028m);
    }

    [Fact]
    public async Task TranslateAudio_WhisperJson_UsageSecondsRoundedUp()
    {
        // json: the emulator reports usage.seconds = ceil(2.5) = 3 -> 3 x $0.0001.
        using var wav = new MemoryStream(Wav(2.5));
        var result = await gw.Client().GetAudioClient("whisper-1").TranslateAudioAsync(wav, "speech.wav");

        Assert.StartsWith("Translation of speech.wav", result.Value.Text, StringComparison.Ordinal);
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(result));
        Assert.Equal("translations", (string?)entry["endpoint"]);
        Assert.Equal(0.0003m, entry["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Transcription_TextFormat_TextAnswerAndCostEstimatedFromTheSize()
    {
        using var form = Form(Wav(2.5), modelFirst: true, responseFormat: "text");
        using var response = await SendAsync(gw.Gateway, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Transcript of speech.wav", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // About 120,400 bytes sent at 16,000 a second: 7.5 s x $0.0001, marked estimated.
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(response));
        Assert.True(entry["estimated"]!.GetValue<bool>());
        Assert.InRange(entry["cost"]!.GetValue<decimal>(), 0.00075m, 0.00076m);
    }

    [Fact]
    public async Task Transcription_ModelBeforeTheFile_StreamedWithoutALength()
    {
        // Model first, and no Content-Length (chunked): the gateway reads only the model before it streams on.
        using var form = Form(Wav(2.5), modelFirst: true, chunked: true);
        using var response = await SendAsync(gw.Gateway, form);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("Transcript of speech.wav", (string?)body["text"], StringComparison.Ordinal);
        var entry = await gw.LedgerEntryAsync(E2E.RequestId(response));
        Assert.Equal(0.0003m, entry["cost"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task Transcription_PastTheBodyLimit_413InOpenAIShape(bool modelFirst, bool chunked)
    {
        // 3 s of WAV is 144,044 bytes, past the 64 KiB limit: refused by its length, while buffering, or while streaming.
        using var form = Form(Wav(3), modelFirst, chunked: chunked);
        using var response = await SendAsync(gw.Tight, form);

        var error = await E2E.AssertErrorAsync(response, (int)HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("request_too_large", (string?)error["code"]);
    }

    [Fact]
    public async Task Transcription_NoModelField_400NamingModel()
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Wav(0.1)), "file", "a.wav" } };
        using var response = await SendAsync(gw.Gateway, form);
        var error = await E2E.AssertErrorAsync(response, (int)HttpStatusCode.BadRequest);
        Assert.Equal("model", (string?)error["param"]);
    }

    [Fact]
    public async Task Transcription_BudgetBelowTheSizeBound_Refused()
    {
        // 120,044 bytes of file bound the audio at 121 s (1,000 bytes a second) or more: 121 x $0.0001 > $0.01.
        var key = await gw.CreateKeyAsync(new { limit = new { retention = "month", threshold = 0.01 } });
        using var form = Form(Wav(2.5), modelFirst: true);
        using var response = await SendAsync(gw.Gateway, form, key);
        var error = await E2E.AssertErrorAsync(response, 429);
        Assert.Equal("insufficient_quota", (string?)error["code"]);
    }

    private async Task<HttpResponseMessage> SendAsync(RunningGateway gateway, HttpContent form, string key = ModalityGateway.MasterKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Address, "/v1/audio/transcriptions")) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await gw.Http.SendAsync(request);
    }

    private static MultipartFormDataContent Form(byte[] file, bool modelFirst, string? responseFormat = null, bool chunked = false)
    {
        var form = new MultipartFormDataContent();
        HttpContent fileContent = chunked ? new StreamContent(new UnseekableStream(file)) : new ByteArrayContent(file);
        fileContent.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        if (modelFirst)
        {
            form.Add(new StringContent("whisper-1"), "model");
        }

        form.Add(fileContent, "file", "speech.wav");
        if (!modelFirst)
        {
            form.Add(new StringContent("whisper-1"), "model");
        }

        if (responseFormat is not null)
        {
            form.Add(new StringContent(responseFormat), "response_format");
        }

        return form;
    }

    /// <summary>A silent 24 kHz 16-bit mono WAV of <paramref name="seconds"/>.</summary>
    internal static byte[] Wav(double seconds)
    {
        var data = (int)(seconds * 24_000) * 2;
        var wav = new byte[44 + data];
        "RIFF"u8.CopyTo(wav);
        BitConverter.GetBytes(36 + data).CopyTo(wav, 4);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BitConverter.GetBytes(16).CopyTo(wav, 16);
        BitConverter.GetBytes((short)1).CopyTo(wav, 20);
        BitConverter.GetBytes((short)1).CopyTo(wav, 22);
        BitConverter.GetBytes(24_000).CopyTo(wav, 24);
        BitConverter.GetBytes(48_000).CopyTo(wav, 28);
        BitConverter.GetBytes((short)2).CopyTo(wav, 32);
        BitConverter.GetBytes((short)16).CopyTo(wav, 34);
        "data"u8.CopyTo(wav.AsSpan(36));
        BitConverter.GetBytes(data).CopyTo(wav, 40);
        return wav;
    }

    /// <summary>A stream without a length, so the form goes chunked.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
