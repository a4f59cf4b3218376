using System.Text;
using System.Text.Json;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Dialects;

/// <summary>
/// The <c>replay</c> knob: serves a recorded provider response verbatim from
/// <see cref="EmulatorOptions.RecordingsDirectory"/> (<c>{name}.json</c>, or <c>{name}.chunks.txt</c> for streams,
/// one event's data per line) framed as the endpoint's API sends it.
/// </summary>
internal static class Replay
{
    public static EmulatorResponse Serve(string name, bool stream, EmulatorDialect dialect, EmulatorOptions options)
    {
        if (options.RecordingsDirectory is not { Length: > 0 } directory)
        {
            return Error(EmulatorError.InvalidRequest("Invalid 'emulator.replay': this emulator has no recordings directory (EmulatorOptions.RecordingsDirectory).", "emulator.replay", "invalid_value"), dialect);
        }

        // A name is provider/file without an extension: no way out of the directory.
        if (name.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(name) || name.AsSpan().IndexOfAnyExcept(Allowed) >= 0)
        {
            return Error(EmulatorError.InvalidRequest($"Invalid 'emulator.replay': '{name}' is not a recording name such as anthropic/anthropic-text.", "emulator.replay", "invalid_value"), dialect);
        }

        var path = Path.Combine(directory, name + (stream ? ".chunks.txt" : ".json"));
        if (!File.Exists(path))
        {
            return Error(EmulatorError.InvalidRequest($"Invalid 'emulator.replay': no recording '{name}' ({(stream ? "stream" : "response")}).", "emulator.replay", "invalid_value"), dialect);
        }

        var bytes = File.ReadAllBytes(path);
        if (!stream)
        {
            var status = ErrorStatus(bytes) ?? 200;
            return new EmulatorResponse { StatusCode = status, WriteBodyAsync = (s, ct) => s.WriteAsync(bytes, ct).AsTask() };
        }

        return new EmulatorResponse
        {
            StatusCode = 200,
            ContentType = "text/event-stream; charset=utf-8",
            Headers = [new("Cache-Control", "no-cache")],
            WriteBodyAsync = (s, ct) => StreamAsync(Encoding.UTF8.GetString(bytes), dialect, s, ct),
        };
    }

    private static readonly System.Buffers.SearchValues<char> Allowed =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./");

    private static async Task StreamAsync(string text, EmulatorDialect dialect, Stream output, CancellationToken ct)
    {
        var last = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var frame = dialect == EmulatorDialect.Anthropic && EventType(line) is { } type
                ? "event: " + type + "\ndata: " + line + "\n\n"
                : "data: " + line + "\n\n";
            await output.WriteAsync(Encoding.UTF8.GetBytes(frame), ct);
            await output.FlushAsync(ct);
            last = line;
        }

        if (dialect == EmulatorDialect.OpenAI && last != "[DONE]")
        {
            // Recordings keep the JSON payloads only; OpenAI-compatible streams end with [DONE].
            await output.WriteAsync("data: [DONE]\n\n"u8.ToArray(), ct);
            await output.FlushAsync(ct);
        }
    }

    private static string? EventType(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // A recorded error body ({"error":{"code":429,...}}) is served with its status.
    private static int? ErrorStatus(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code) && code.TryGetInt32(out var status) && status is >= 400 and <= 599
                ? status
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static EmulatorResponse Error(EmulatorError error, EmulatorDialect dialect)
    {
        var body = DialectErrors.Write(error, dialect);
        return new EmulatorResponse { StatusCode = error.Status, WriteBodyAsync = (s, ct) => s.WriteAsync(body, ct).AsTask() };
    }
}
