using System.Text;

namespace Tollgate.Emulator.Chat;

/// <summary>Deterministic reply text: an echo of the prompt, a fixed text, or a lorem sequence.</summary>
internal static class ReplyText
{
    private static readonly string[] Lorem =
    [
        "Lorem", "ipsum", "dolor", "sit", "amet,", "consectetur", "adipiscing", "elit,", "sed", "do",
        "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua.", "Ut",
        "enim", "ad", "minim", "veniam,", "quis", "nostrud", "exercitation", "ullamco", "laboris", "nisi",
    ];

    /// <summary>The first <paramref name="words"/> words of the lorem sequence, repeating as needed.</summary>
    public static string LoremWords(int words)
    {
        var sb = new StringBuilder(words * 7);
        for (var i = 0; i < words; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(Lorem[i % Lorem.Length]);
        }

        return sb.ToString();
    }

    /// <summary>Keeps at most <paramref name="maxWords"/> words, cutting right after the last kept word.</summary>
    public static string TruncateWords(string text, int maxWords, out int words, out bool truncated)
    {
        words = 0;
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ws = char.IsWhiteSpace(text[i]);
            if (!ws && !inWord)
            {
                if (words == maxWords)
                {
                    truncated = true;
                    return text[..i].TrimEnd();
                }

                words++;
            }

            inWord = !ws;
        }

        truncated = false;
        return text;
    }

    /// <summary>Splits text at word starts, each piece carrying its leading whitespace (" Name"), as models stream.</summary>
    public static List<string> SplitWords(string text)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var i = 1; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && !char.IsWhiteSpace(text[i - 1]))
            {
                pieces.Add(text[start..i]);
                start = i;
            }
        }

        pieces.Add(text[start..]);
        return pieces;
    }

    /// <summary>Splits text into exactly <paramref name="count"/> pieces of near-equal length (some may be empty).</summary>
    public static List<string> SplitEvenly(string text, int count)
    {
        var pieces = new List<string>(count);
        var start = 0;
        for (var i = 1; i <= count; i++)
        {
            var end = (int)((long)text.Length * i / count);

            // Never split a surrogate pair: a lone half is not valid UTF-16 and would not survive JSON.
            if (end < text.Length && end > start && char.IsLowSurrogate(text[end]))
            {
                end++;
            }

            end = Math.Max(end, start);
            pieces.Add(text[start..end]);
            start = end;
        }

        return pieces;
    }
}
