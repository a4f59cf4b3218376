using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Tollgate.Core.Pricing;

namespace Tollgate.Dialects.OpenAI;

/// <summary>
/// Finds the top-level <c>usage</c> object of a response or stream chunk and writes the JSON back with
/// <c>usage.cost</c> set, keeping every other byte as the upstream sent it.
/// </summary>
public static class UsagePatcher
{
    /// <summary>Locates the top-level <c>usage</c> object; false when there is none (or it is null).</summary>
    public static bool TryFindUsage(ReadOnlySpan<byte> json, out Range usage)
    {
        usage = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isUsage = reader.ValueTextEquals("usage"u8);
                reader.Read();
                if (isUsage && reader.TokenType == JsonTokenType.StartObject)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    usage = start..(int)reader.BytesConsumed;
                    return true;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    /// <summary>Writes <paramref name="json"/> with <c>cost</c> set inside the <paramref name="usage"/> object.</summary>
    public static void WriteWithCost(ReadOnlySpan<byte> json, Range usage, decimal? cost, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (offset, length) = usage.GetOffsetAndLength(json.Length);
        var usageJson = json.Slice(offset, length);

        // Replace an upstream "cost" (some providers send their own) rather than writing the key twice.
        if (TryFindProperty(usageJson, "cost"u8, out var existing))
        {
            var (eo, el) = existing.GetOffsetAndLength(usageJson.Length);
            output.Write(json[..(offset + eo)]);
            WriteNumber(cost, output);
            output.Write(json[(offset + eo + el)..]);
            return;
        }

        var close = offset + length - 1;
        output.Write(json[..close]);
        if (!IsEmptyObject(usageJson))
        {
            output.Write(","u8);
        }

        output.Write("\"cost\":"u8);
        WriteNumber(cost, output);
        output.Write(json[close..]);
    }

    private static void WriteNumber(decimal? cost, IBufferWriter<byte> output)
    {
        if (cost is null)
        {
            output.Write("null"u8);
            return;
        }

        var span = output.GetSpan(32);
        if (!Utf8Formatter.TryFormat(Money.Normalize(cost.Value), span, out var written))
        {
            throw new InvalidOperationException("A cost did not fit its buffer.");
        }

        output.Advance(written);
    }

    private static bool IsEmptyObject(ReadOnlySpan<byte> obj)
    {
        var inner = obj[1..^1];
        return inner.Trim(" \t\r\n"u8).IsEmpty;
    }

    private static bool TryFindProperty(ReadOnlySpan<byte> obj, ReadOnlySpan<byte> name, out Range value)
    {
        value = default;
        var reader = new Utf8JsonReader(obj);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (match)
            {
                value = start..(int)reader.BytesConsumed;
                return true;
            }
        }

        return false;
    }
}
