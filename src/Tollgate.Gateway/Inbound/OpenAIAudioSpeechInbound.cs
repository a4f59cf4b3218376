using System.Text.Json;
using Tollgate.Dialects.OpenAI;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Settlement;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// OpenAI's <c>POST /v1/audio/speech</c>: JSON in, audio bytes out. Reserved and settled by the input's characters
/// for a model priced per character (tts-1); otherwise by the audio's seconds where the model is priced per second
/// and the audio's length can be read, else by the input's estimated tokens (gpt-4o-mini-tts).
/// </summary>
internal sealed class OpenAIAudioSpeechInbound : OpenAIModalityInbound
{
    public static OpenAIAudioSpeechInbound Speech { get; } = new();

    public override string Endpoint => "speech";

    protected override InboundRequest ReadRequest(ReadOnlyMemory<byte> body, OpenAIRequest fields, JsonElement root, out ApiError? error)
    {
        error = null;
        var input = OptionalString(root, "input", ref error);
        if (input is null)
        {
            error ??= ApiError.BadRequest("Missing required parameter: 'input' (the text to speak).", "input");
        }

        var format = OptionalString(root, "response_format", ref error) ?? "mp3";
        if (OptionalString(root, "stream_format", ref error) is "sse")
        {
            error ??= ApiError.BadRequest("stream_format 'sse' is not supported through Tollgate; ask for audio.", "stream_format", "unsupported_parameter");
        }

        var contentType = ContentTypeOf(format);
        if (contentType is null)
        {
            error ??= ApiError.BadRequest($"'response_format' must be one of mp3, opus, aac, flac, wav, pcm, not '{format}'.", "response_format");
        }

        // Characters as a reader counts them: code points, so an emoji is one, not two UTF-16 units.
        long characters = 0;
        foreach (var _ in (input ?? "").EnumerateRunes())
        {
            characters++;
        }

        return new InboundRequest(body, fields)
        {
            Prompt = body,
            WorstCase = model => ModalityPricing.SpeechWorstCase(model, characters, TokenEstimator.CountPrompt(body.Span)),
            DialectState = new ModalityRequest("/audio/speech", (audio, route) => ModalityPricing.SpeechUsage(audio, format, route.Model, characters), contentType ?? "application/octet-stream"),
        };
    }

    private static string? ContentTypeOf(string format) => format switch
    {
        "mp3" => "audio/mpeg",
        "opus" => "audio/opus",
        "aac" => "audio/aac",
        "flac" => "audio/flac",
        "wav" => "audio/wav",
        "pcm" => "audio/pcm",
        _ => null,
    };
}
