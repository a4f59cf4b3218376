using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Tollgate.Emulator.Modalities;

/// <summary>
/// The emulator's images, speech, transcription, moderation and Gemini batch-embedding endpoints: deterministic answers
/// (the same request gives the same bytes) in the providers' shapes, with the usage each provider reports, so a client
/// SDK and the gateway's metering meet real payloads (docs/EMULATOR.md, "Modalities").
/// </summary>
internal static class ModalityEndpoints
{
    /// <summary>Seconds of speech per input character (20 characters a second).</summary>
    public const decimal SpeechSecondsPerCharacter = 0.05m;

    /// <summary>Bytes per second assumed for an upload that is not WAV (128 kbit/s).</summary>
    public const int UploadBytesPerSecond = 16_000;

    private const long Created = 1_700_000_000;

    private static readonly string[] Categories =
    [
        "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent", "self-harm",
        "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence", "violence/graphic",
    ];

    /// <summary><c>POST /v1/images/generations</c>: n copies of a 1x1 PNG; gpt-image models report token usage.</summary>
    public static async Task ImagesAsync(HttpContext context)
    {
        if (await ReadJsonAsync(context) is not { } body)
        {
            return;
        }

        var n = body["n"] is JsonValue nv && nv.TryGetValue<int>(out var count) ? count : 1;
        await ImagesAnswerAsync(context, (string?)body["model"] ?? "dall-e-2", (string?)body["prompt"], n, (string?)body["size"], (string?)body["quality"], (string?)body["response_format"]);
    }

    /// <summary>
    /// <c>POST /v1/images/edits</c> (multipart: <c>image</c> or <c>image[]</c> files, optional <c>mask</c>): the same
    /// answer as a generation of the prompt.
    /// </summary>
    public static async Task ImageEditsAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            await ErrorAsync(context, 400, "The request must be multipart/form-data.", null);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form.Files.GetFiles("image").Count + form.Files.GetFiles("image[]").Count == 0)
        {
            await ErrorAsync(context, 400, "Missing required parameter: 'image'.", "image");
            return;
        }

        var n = form["n"].ToString() is { Length: > 0 } raw ? int.TryParse(raw, CultureInfo.InvariantCulture, out var count) ? count : 0 : 1;
        await ImagesAnswerAsync(context, form["model"].ToString() is { Length: > 0 } m ? m : "dall-e-2", form["prompt"].ToString(), n, Optional(form, "size"), Optional(form, "quality"), Optional(form, "response_format"));
    }

    private static string? Optional(IFormCollection form, string name) => form[name].ToString() is { Length: > 0 } v ? v : null;

    /// <summary>n copies of a 1x1 PNG for a generation or an edit; gpt-image models report token usage.</summary>
    private static async Task ImagesAnswerAsync(HttpContext context, string model, string? prompt, int n, string? askedSize, string? askedQuality, string? askedFormat)
    {
        if (string.IsNullOrEmpty(prompt))
        {
            await ErrorAsync(context, 400, "Missing required parameter: 'prompt'.", "prompt");
            return;
        }

        if (n is < 1 or > 10)
        {
            await ErrorAsync(context, 400, "'n' must be from 1 to 10.", "n");
            return;
        }

        var tokenPriced = model.StartsWith("gpt-image", StringComparison.Ordinal) || model.StartsWith("chatgpt-image", StringComparison.Ordinal);
        var size = askedSize is { } s && s != "auto" ? s : "1024x1024";
        var quality = askedQuality is { } q && q != "auto" ? q : tokenPriced ? "high" : "standard";
        var format = askedFormat ?? (tokenPriced ? "b64_json" : "url");
        var b64 = Convert.ToBase64String(MediaFiles.Png);
        var data = new JsonArray();
        for (var i = 0; i < n; i++)
        {
            var item = format == "b64_json" ? new JsonObject { ["b64_json"] = b64 } : new JsonObject { ["url"] = "data:image/png;base64," + b64 };
            if (model == "dall-e-3")
            {
                item["revised_prompt"] = prompt;
            }

            data.Add((JsonNode)item);
        }

        var answer = new JsonObject { ["created"] = Created, ["data"] = data };
        if (tokenPriced)
        {
            var input = (prompt.Length + 3) / 4;
            var output = n * ImageTokens(quality, size);
            answer["size"] = size;
            answer["quality"] = quality;
            answer["output_format"] = "png";
            answer["usage"] = new JsonObject
            {
                ["input_tokens"] = input,
                ["input_tokens_details"] = new JsonObject { ["text_tokens"] = input, ["image_tokens"] = 0 },
                ["output_tokens"] = output,
                ["total_tokens"] = input + output,
            };
        }

        await JsonAsync(context, answer);
    }

    /// <summary><c>POST /v1/audio/speech</c>: silence of <see cref="SpeechSecondsPerCharacter"/> a character, as mp3, wav or pcm.</summary>
    public static async Task SpeechAsync(HttpContext context)
    {
        if (await ReadJsonAsync(context) is not { } body)
        {
            return;
        }

        var input = (string?)body["input"];
        if (string.IsNullOrEmpty(input) || body["voice"] is null)
        {
            await ErrorAsync(context, 400, input is null or "" ? "Missing required parameter: 'input'." : "Missing required parameter: 'voice'.", input is null or "" ? "input" : "voice");
            return;
        }

        var format = (string?)body["response_format"] ?? "mp3";
        var seconds = input.Length * SpeechSecondsPerCharacter;
        var (audio, type) = format switch
        {
            "mp3" => (MediaFiles.Mp3((int)Math.Ceiling(seconds * MediaFiles.Mp3SampleRate / MediaFiles.Mp3FrameSamples)), "audio/mpeg"),
            "wav" => (MediaFiles.Wav((int)(seconds * MediaFiles.SampleRate)), "audio/wav"),
            "pcm" => (MediaFiles.Pcm((int)(seconds * MediaFiles.SampleRate)), "audio/pcm"),
            _ => (null, null),
        };
        if (audio is null)
        {
            await ErrorAsync(context, 400, $"The emulator speaks mp3, wav and pcm, not '{format}'.", "response_format");
            return;
        }

        context.Response.ContentType = type;
        await context.Response.Body.WriteAsync(audio, context.RequestAborted);
    }

    /// <summary>
    /// <c>POST /v1/audio/transcriptions</c> and <c>/translations</c> (multipart): a transcript naming the file; its
    /// length from a WAV header, else the upload's size at <see cref="UploadBytesPerSecond"/>. whisper-1 reports
    /// <c>usage.seconds</c> (json) or <c>duration</c> (verbose_json); the gpt-4o models report tokens.
    /// </summary>
    public static async Task TranscriptionAsync(HttpContext context, bool translate)
    {
        if (!context.Request.HasFormContentType)
        {
            await ErrorAsync(context, 400, "The request must be multipart/form-data.", null);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var file = form.Files.GetFile("file");
        var model = form["model"].ToString();
        if (file is null || string.IsNullOrEmpty(model))
        {
            await ErrorAsync(context, 400, file is null ? "Missing required parameter: 'file'." : "Missing required parameter: 'model'.", file is null ? "file" : "model");
            return;
        }

        using var bytes = new MemoryStream();
        await file.CopyToAsync(bytes, context.RequestAborted);
        var seconds = MediaFiles.WavSeconds(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)) ?? Math.Round((decimal)bytes.Length / UploadBytesPerSecond, 3);
        var text = $"{(translate ? "Translation" : "Transcript")} of {file.FileName}: {bytes.Length} bytes, {seconds.ToString(CultureInfo.InvariantCulture)} seconds.";
        var format = form["response_format"].ToString() is { Length: > 0 } f ? f : "json";
        var whisper = model == "whisper-1";
        switch (format)
        {
            case "text":
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(text + "\n", context.RequestAborted);
                return;
            case "srt" or "vtt":
                context.Response.ContentType = "text/plain; charset=utf-8";
                var end = TimeSpan.FromSeconds((double)seconds).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
                var sep = format == "srt" ? "," : ".";
                await context.Response.WriteAsync((format == "vtt" ? "WEBVTT\n\n" : "1\n") + $"00:00:00{sep}000 --> {end}{sep}000\n{text}\n", context.RequestAborted);
                return;
            case "verbose_json" when whisper:
                await JsonAsync(context, new JsonObject
                {
                    ["task"] = translate ? "translate" : "transcribe",
                    ["language"] = "english",
                    ["duration"] = seconds,
                    ["text"] = text,
                    ["segments"] = new JsonArray(new JsonObject { ["id"] = 0, ["seek"] = 0, ["start"] = 0.0, ["end"] = seconds, ["text"] = text, ["tokens"] = new JsonArray(), ["temperature"] = 0.0, ["avg_logprob"] = -0.1, ["compression_ratio"] = 1.0, ["no_speech_prob"] = 0.0 }),
                });
                return;
            case "json":
                var answer = new JsonObject { ["text"] = text };
                if (whisper)
                {
                    answer["usage"] = new JsonObject { ["type"] = "duration", ["seconds"] = (long)Math.Ceiling(seconds) };
                }
                else
                {
                    // About 10 audio tokens a second of audio, and a token per 4 characters of transcript.
                    var audioTokens = (long)Math.Ceiling(seconds * 10);
                    var output = (text.Length + 3) / 4;
                    answer["usage"] = new JsonObject
                    {
                        ["type"] = "tokens",
                        ["input_tokens"] = audioTokens,
                        ["input_token_details"] = new JsonObject { ["text_tokens"] = 0, ["audio_tokens"] = audioTokens },
                        ["output_tokens"] = output,
                        ["total_tokens"] = audioTokens + output,
                    };
                }

                await JsonAsync(context, answer);
                return;
            default:
                await ErrorAsync(context, 400, $"response_format '{format}' is not supported for {model}.", "response_format");
                return;
        }
    }

    /// <summary><c>POST /v1/moderations</c>: an input mentioning "kill" or "hate" is flagged (violence, hate); scores are fixed.</summary>
    public static async Task ModerationsAsync(HttpContext context)
    {
        if (await ReadJsonAsync(context) is not { } body)
        {
            return;
        }

        var inputs = body["input"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var one) => [one],
            JsonArray a => a.Select(static x => x is JsonValue v ? (string?)v ?? "" : (string?)x?["text"] ?? "").ToList(),
            _ => null,
        };
        if (inputs is null)
        {
            await ErrorAsync(context, 400, "Missing required parameter: 'input'.", "input");
            return;
        }

        var results = new JsonArray();
        foreach (var text in inputs)
        {
            var violent = text.Contains("kill", StringComparison.OrdinalIgnoreCase);
            var hateful = text.Contains("hate", StringComparison.OrdinalIgnoreCase);
            var categories = new JsonObject();
            var scores = new JsonObject();
            var applied = new JsonObject();
            foreach (var c in Categories)
            {
                var flagged = (c == "violence" && violent) || (c == "hate" && hateful);
                categories[c] = flagged;
                scores[c] = flagged ? 0.9 : 0.0001;
                applied[c] = new JsonArray("text");
            }

            results.Add((JsonNode)new JsonObject { ["flagged"] = violent || hateful, ["categories"] = categories, ["category_scores"] = scores, ["category_applied_input_types"] = applied });
        }

        var model = (string?)body["model"] ?? "omni-moderation-latest";
        await JsonAsync(context, new JsonObject { ["id"] = "modr-" + Hash(string.Join("\n", inputs))[..24], ["model"] = model, ["results"] = results });
    }

    /// <summary>gpt-image-1's output tokens for one image of a quality and size (OpenAI's published table).</summary>
    internal static long ImageTokens(string quality, string size)
    {
        var column = size switch { "1024x1536" => 1, "1536x1024" => 2, _ => 0 };
        long[] row = quality switch
        {
            "low" => [272, 408, 400],
            "medium" => [1056, 1584, 1568],
            _ => [4160, 6240, 6208],
        };
        return row[column];
    }

    private static async Task<JsonObject?> ReadJsonAsync(HttpContext context)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            node = null;
        }

        if (node is JsonObject body)
        {
            return body;
        }

        await ErrorAsync(context, 400, "We could not parse the JSON body of your request.", null);

        return null;
    }

    private static Task JsonAsync(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static Task ErrorAsync(HttpContext context, int status, string message, string? param)
    {
        context.Response.StatusCode = status;
        return JsonAsync(context, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["param"] = param, ["code"] = null } });
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
