using System.Text;

namespace Tollgate.Dialects.Gemini;

/// <summary>
/// Made-up tool call ids for Gemini, which has none, optionally carrying the call's thought signature.
/// </summary>
/// <remarks>
/// Shape: <c>call_{responseId}_{n}</c>, and with a signature <c>call_{responseId}_{n}__ts_{signature as base64url}</c>.
/// The id is the one field every OpenAI client sends back unchanged (in the assistant message and in the tool
/// message), so a signature inside it survives clients that drop unknown fields such as <c>extra_content</c>.
/// The response id keeps ids unique across turns of one conversation; it is reduced to letters and digits so
/// the <c>__ts_</c> marker cannot occur inside it.
/// </remarks>
internal static class GeminiToolCallIds
{
    private const string Marker = "__ts_";

    public static string Make(string? responseId, int index, string? thoughtSignature, bool embedSignature)
    {
        var sb = new StringBuilder("call_");
        if (!string.IsNullOrEmpty(responseId))
        {
            foreach (var ch in responseId)
            {
                if (char.IsAsciiLetterOrDigit(ch))
                {
                    sb.Append(ch);
                }
            }

            sb.Append('_');
        }

        sb.Append(index);
        if (embedSignature && !string.IsNullOrEmpty(thoughtSignature))
        {
            sb.Append(Marker);
            foreach (var ch in thoughtSignature)
            {
                switch (ch)
                {
                    case '+': sb.Append('-'); break;
                    case '/': sb.Append('_'); break;
                    case '=': break;
                    default: sb.Append(ch); break;
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>The thought signature (standard base64, padded) carried in <paramref name="id"/>, if any.</summary>
    public static string? SignatureFrom(string? id)
    {
        if (id is null)
        {
            return null;
        }

        var at = id.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0 || at + Marker.Length == id.Length)
        {
            return null;
        }

        var sb = new StringBuilder(id.Length - at);
        for (var i = at + Marker.Length; i < id.Length; i++)
        {
            var ch = id[i];
            sb.Append(ch switch { '-' => '+', '_' => '/', _ => ch });
        }

        while (sb.Length % 4 != 0)
        {
            sb.Append('=');
        }

        return sb.ToString();
    }
}
