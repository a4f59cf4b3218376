using System.Buffers;

namespace Tollgate.Dialects.OpenAI;

/// <summary>
/// A small scanner over the raw bytes of a server-sent-events stream, for the streaming hot path:
/// the gateway copies each event to the client as it is and only looks inside for the <c>data:</c>
/// payload (to pick out <c>usage</c>). Lines end in LF or CRLF (every LLM provider uses one of them);
/// a lone CR is not treated as a line end, so a CRLF split across two reads never looks like two lines.
/// </summary>
public static class SseEvents
{
    /// <summary>
    /// The length of the first complete event in <paramref name="buffer"/>, including the blank line that
    /// ends it (<c>\n\n</c>, <c>\r\n\r\n</c> or a mix), or -1 when no complete event is there yet.
    /// <paramref name="buffer"/> must start at an event boundary. A blank line at the very start is an
    /// empty event of length 1 or 2 (it has no data).
    /// </summary>
    public static int FindEventLength(ReadOnlySpan<byte> buffer)
    {
        var lineStart = 0;
        while (lineStart < buffer.Length)
        {
            // A blank line: the event ends after it.
            if (buffer[lineStart] == (byte)'\n')
            {
                return lineStart + 1;
            }

            if (buffer[lineStart] == (byte)'\r' && lineStart + 1 < buffer.Length && buffer[lineStart + 1] == (byte)'\n')
            {
                return lineStart + 2;
            }

            var lf = buffer[lineStart..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                return -1;
            }

            lineStart += lf + 1;
        }

        return -1;
    }

    /// <summary>
    /// The <c>data</c> of one event (as cut by <see cref="FindEventLength"/>, with or without its blank line).
    /// With one <c>data:</c> line the payload is a slice of <paramref name="sseEvent"/> (no copy). With several,
    /// they are joined with <c>\n</c> as the SSE spec says: into <paramref name="joinBuffer"/> when given
    /// (cleared first; the payload is its written span), else into a new array.
    /// The field's single leading space is removed; comments (<c>:</c> lines) and other fields are ignored.
    /// </summary>
    /// <returns>False when the event has no <c>data</c> field.</returns>
    public static bool TryGetData(ReadOnlySpan<byte> sseEvent, out ReadOnlySpan<byte> data, ArrayBufferWriter<byte>? joinBuffer = null)
    {
        data = default;
        var found = 0;
        var rest = sseEvent;
        byte[]? joined = null;
        var joinedLength = 0;

        while (!rest.IsEmpty)
        {
            var lf = rest.IndexOf((byte)'\n');
            var line = lf < 0 ? rest : rest[..lf];
            rest = lf < 0 ? default : rest[(lf + 1)..];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                break;
            }

            if (!TryGetDataValue(line, out var value))
            {
                continue;
            }

            found++;
            if (found == 1)
            {
                data = value;
                continue;
            }

            // A second data line: from here on the payload is a copy.
            if (joinBuffer is not null)
            {
                if (found == 2)
                {
                    joinBuffer.Clear();
                    joinBuffer.Write(data);
                }

                joinBuffer.Write("\n"u8);
                joinBuffer.Write(value);
            }
            else
            {
                if (found == 2)
                {
                    joined = new byte[sseEvent.Length];
                    data.CopyTo(joined);
                    joinedLength = data.Length;
                }

                // The joined payload is never longer than the event itself: each '\n' replaces a "data:" prefix.
                joined![joinedLength++] = (byte)'\n';
                value.CopyTo(joined.AsSpan(joinedLength));
                joinedLength += value.Length;
            }
        }

        if (found > 1)
        {
            data = joinBuffer is not null ? joinBuffer.WrittenSpan : joined.AsSpan(0, joinedLength);
        }

        return found > 0;
    }

    /// <summary>True when <paramref name="payload"/> is the <c>[DONE]</c> sentinel that ends an OpenAI stream.</summary>
    public static bool IsDone(ReadOnlySpan<byte> payload) =>
        payload.Trim(" \t\r\n"u8).SequenceEqual("[DONE]"u8);

    private static bool TryGetDataValue(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!line.StartsWith("data"u8))
        {
            return false;
        }

        var afterName = line[4..];
        if (afterName.IsEmpty)
        {
            // "data" alone is the field with an empty value.
            return true;
        }

        if (afterName[0] != (byte)':')
        {
            return false; // another field, e.g. "database:"
        }

        value = afterName[1..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        return true;
    }
}
