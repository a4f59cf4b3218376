using System.Text;
using Microsoft.Net.Http.Headers;
using Tollgate.Gateway.Relay;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// Reads a <c>multipart/form-data</c> body only as far as its <c>model</c> field: the bytes up to the end of that
/// part stay in the head buffer, the rest is left in the client's stream for the upstream. When the client sends the
/// file before the model (the OpenAI SDKs do), the file is in the head too: buffered up to the body limit, never past.
/// The small text fields before the model, and those right after it up to the first file part (at most
/// <see cref="MaxFollowingBytes"/> more), are kept in <see cref="Fields"/>: an image edit's <c>n</c>, <c>size</c> and
/// <c>quality</c>, which the OpenAI SDKs send after the model.
/// </summary>
internal sealed class MultipartHead
{
    /// <summary>The longest text field kept in <see cref="Fields"/>; longer ones (and files) are not.</summary>
    private const int MaxFieldBytes = 4096;

    /// <summary>How far past the model's value the reader goes for the text fields that follow it.</summary>
    private const int MaxFollowingBytes = 16 * 1024;

    private MultipartHead(string model, Range value, IReadOnlyDictionary<string, string> fields)
    {
        Model = model;
        ModelValue = value;
        Fields = fields;
    }

    /// <summary>The <c>model</c> field's value.</summary>
    public string Model { get; }

    /// <summary>Where the value sits in the head buffer, to be replaced by the deployment's model name.</summary>
    public Range ModelValue { get; }

    /// <summary>The text fields (no file name, at most 4 KB) read with the head, by name; the model among them.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>The boundary of a <c>multipart/form-data</c> content type, or null when it is not one.</summary>
    public static string? Boundary(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            && HeaderUtilities.RemoveQuotes(type.Boundary).Value is { Length: > 0 and <= 70 } boundary
            ? boundary
            : null;

    /// <summary>
    /// Reads from <paramref name="body"/> into <paramref name="head"/> until the model part has ended. Null with
    /// <paramref name="tooLarge"/> false when the body ended without a model (or is not well-formed), with it true
    /// when more than <paramref name="limit"/> bytes came first.
    /// </summary>
    public static async ValueTask<(MultipartHead? Head, bool TooLarge)> ReadAsync(Stream body, string boundary, long limit, PooledBufferWriter head, CancellationToken cancellationToken)
    {
        var delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        var partStart = -1;
        var scanFrom = 0;
        var ended = false;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        (string Model, Range Value)? model = null;
        while (true)
        {
            var closed = false;
            var waitingOnFile = false;
            var buffer = head.WrittenSpan;
            if (partStart < 0)
            {
                // The first delimiter has no CRLF before it when it opens the body.
                var first = buffer.IndexOf(delimiter.AsSpan(2));
                if (first >= 0 && first + delimiter.Length - 2 + 2 <= buffer.Length)
                {
                    partStart = first + delimiter.Length - 2;
                    scanFrom = partStart;
                }
            }

            while (partStart >= 0)
            {
                // After a delimiter: "--" closes the body, CRLF opens a part.
                if (partStart + 2 > buffer.Length)
                {
                    break;
                }

                if (buffer[partStart] == '-' && buffer[partStart + 1] == '-')
                {
                    closed = true;
                    break;
                }

                var headersEnd = buffer[partStart..].IndexOf("\r\n\r\n"u8);
                if (headersEnd < 0)
                {
                    break;
                }

                var contentStart = partStart + headersEnd + 4;
                var searchAt = Math.Max(contentStart, scanFrom);
                var next = buffer[searchAt..].IndexOf(delimiter);
                if (next < 0)
                {
                    // Keep the tail: a delimiter may straddle what came and what comes.
                    scanFrom = Math.Max(contentStart, buffer.Length - delimiter.Length);
                    waitingOnFile = TextFieldName(buffer[partStart..(partStart + headersEnd)]) is null;
                    break;
                }

                var contentEnd = searchAt + next;
                if (TextFieldName(buffer[partStart..(partStart + headersEnd)]) is { } name && contentEnd - contentStart <= MaxFieldBytes)
                {
                    var value = Encoding.UTF8.GetString(buffer[contentStart..contentEnd]).Trim();
                    fields.TryAdd(name, value);
                    if (name == "model" && model is null)
                    {
                        model = (value, contentStart..contentEnd);
                    }
                }

                partStart = contentEnd + delimiter.Length;
                scanFrom = partStart;
            }

            // Past the model only the text fields that follow it are read: a file part, the body's end or
            // MaxFollowingBytes stops the reader, and the rest stays in the client's stream.
            if (model is { } found && (closed || ended || waitingOnFile || head.Count - found.Value.End.Value > MaxFollowingBytes))
            {
                return (new MultipartHead(found.Model, found.Value, fields), false);
            }

            if (ended || closed)
            {
                return (null, false);
            }

            if (head.Count > limit)
            {
                return (null, true);
            }

            var n = await body.ReadAsync(head.GetMemory(64 * 1024), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                ended = true;
                continue;
            }

            head.Advance(n);
        }
    }

    /// <summary>A part's field name when it is a text field (a content disposition without a file name), else null.</summary>
    private static string? TextFieldName(ReadOnlySpan<byte> headers)
    {
        var text = Encoding.ASCII.GetString(headers);
        foreach (var line in text.Split("\r\n"))
        {
            if (line.StartsWith("content-disposition:", StringComparison.OrdinalIgnoreCase)
                && ContentDispositionHeaderValue.TryParse(line.AsSpan("content-disposition:".Length).Trim().ToString(), out var disposition))
            {
                return disposition.FileName.HasValue || disposition.FileNameStar.HasValue ? null : HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            }
        }

        return null;
    }
}
