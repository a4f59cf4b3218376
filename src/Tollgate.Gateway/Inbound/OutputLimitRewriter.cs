using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// Writes a clamped output limit into a request body, every other byte kept: each member that holds the limit is
/// lowered to it (a smaller number is left as it is), and when there is none the member is added, so the provider
/// reads the limit admission reserved. Only clamped requests come here (see <see cref="Admission.OutputClamp"/>); the
/// dialect's reader already proved the body well-formed with no repeated member it reads.
/// </summary>
internal static class OutputLimitRewriter
{
    /// <summary>
    /// The body with its top-level <paramref name="names"/> (any of them present) lowered to <paramref name="limit"/>,
    /// or <paramref name="added"/> set to it when none is present.
    /// </summary>
    public static byte[] SetTopLevel(ReadOnlySpan<byte> body, long limit, string added, params string[] names) =>
        Set(body, limit, null, [], added, names);

    /// <summary>
    /// The body with the limit inside a top-level object (Gemini's <c>generationConfig.maxOutputTokens</c>):
    /// <paramref name="containers"/> name the object (the first is used when it must be added), <paramref name="names"/>
    /// the member in it.
    /// </summary>
    public static byte[] SetNested(ReadOnlySpan<byte> body, long limit, string[] containers, string added, params string[] names) =>
        Set(body, limit, containers[0], containers, added, names);

    private static byte[] Set(ReadOnlySpan<byte> body, long limit, string? container, string[] containers, string added, string[] names)
    {
        var edits = new List<(int Start, int End, string Text)>();
        var reader = new Utf8JsonReader(body);
        reader.Read();
        var rootInsert = (int)reader.BytesConsumed;
        var rootEmpty = true;
        var found = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            rootEmpty = false;
            var name = reader.GetString()!;
            reader.Read();
            if (container is null && Array.IndexOf(names, name) >= 0)
            {
                found = true;
                AddValueEdit(ref reader, limit, edits);
            }
            else if (container is not null && Array.IndexOf(containers, name) >= 0 && reader.TokenType == JsonTokenType.StartObject)
            {
                found = true;
                SetInObject(ref reader, limit, added, names, edits);
            }
            else if (container is not null && Array.IndexOf(containers, name) >= 0 && reader.TokenType == JsonTokenType.Null)
            {
                found = true;
                edits.Add(((int)reader.TokenStartIndex, (int)reader.BytesConsumed, "{" + Member(added, limit) + "}"));
            }
            else
            {
                reader.Skip();
            }
        }

        if (!found)
        {
            var member = container is null ? Member(added, limit) : Quote(container) + ":{" + Member(added, limit) + "}";
            edits.Add((rootInsert, rootInsert, rootEmpty ? member : member + ","));
        }

        return Apply(body, edits);
    }

    private static void SetInObject(ref Utf8JsonReader reader, long limit, string added, string[] names, List<(int Start, int End, string Text)> edits)
    {
        var insert = (int)reader.BytesConsumed;
        var empty = true;
        var found = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            empty = false;
            var name = reader.GetString()!;
            reader.Read();
            if (Array.IndexOf(names, name) >= 0)
            {
                found = true;
                AddValueEdit(ref reader, limit, edits);
            }
            else
            {
                reader.Skip();
            }
        }

        if (!found)
        {
            edits.Add((insert, insert, empty ? Member(added, limit) : Member(added, limit) + ","));
        }
    }

    /// <summary>Replaces the value the reader stands on by the limit, unless it is already a smaller number.</summary>
    private static void AddValueEdit(ref Utf8JsonReader reader, long limit, List<(int Start, int End, string Text)> edits)
    {
        var start = (int)reader.TokenStartIndex;
        var smaller = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value > 0 && value <= limit;
        reader.Skip();
        if (!smaller)
        {
            edits.Add((start, (int)reader.BytesConsumed, limit.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static string Member(string name, long limit) => Quote(name) + ":" + limit.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string name) => "\"" + name + "\"";

    private static byte[] Apply(ReadOnlySpan<byte> body, List<(int Start, int End, string Text)> edits)
    {
        edits.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        var output = new ArrayBufferWriter<byte>(body.Length + 64);
        var position = 0;
        foreach (var (start, end, text) in edits)
        {
            output.Write(body[position..start]);
            output.Write(Encoding.UTF8.GetBytes(text));
            position = end;
        }

        output.Write(body[position..]);
        return output.WrittenSpan.ToArray();
    }
}
