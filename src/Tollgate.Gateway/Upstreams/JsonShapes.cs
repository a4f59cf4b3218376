using System.Text.Json;

namespace Tollgate.Gateway.Upstreams;

/// <summary>Small checks of what an upstream sent, and the gateway's own OpenAI-shaped error body.</summary>
internal static class JsonShapes
{
    /// <summary>Whether <paramref name="json"/> is one well-formed JSON object.</summary>
    public static bool IsObject(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="json"/> is a JSON object with the top-level member <paramref name="name"/>.</summary>
    public static bool HasMember(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                found |= reader.ValueTextEquals(name);
                reader.Read();
                reader.Skip();
            }

            return found && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>OpenAI's error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
    public static byte[] OpenAIError(string message, string type, string? code = null, string? param = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        WriteOpenAIError(buffer, message, type, code, param);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes OpenAI's error body to <paramref name="output"/>.</summary>
    public static void WriteOpenAIError(System.Buffers.IBufferWriter<byte> output, string message, string type, string? code, string? param)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", message);
        writer.WriteString("type", type);
        writer.WriteString("param", param);
        writer.WriteString("code", code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
