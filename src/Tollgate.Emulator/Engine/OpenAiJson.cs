using System.Buffers;
using System.Text.Json;

namespace Tollgate.Emulator.Engine;

/// <summary>Small helpers for writing OpenAI-shaped JSON with <see cref="Utf8JsonWriter"/>.</summary>
internal static class OpenAiJson
{
    public static ReadOnlyMemory<byte> Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w, state);
        }

        return buffer.WrittenMemory;
    }

    /// <summary>The body <c>{"error":{"message","type","param","code"}}</c>.</summary>
    public static ReadOnlyMemory<byte> Error(EmulatorError error) => Write(error, static (w, e) =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", e.Message);
        w.WriteString("type", e.Type);
        WriteStringOrNull(w, "param", e.Param);
        WriteStringOrNull(w, "code", e.Code);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    public static void WriteStringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
