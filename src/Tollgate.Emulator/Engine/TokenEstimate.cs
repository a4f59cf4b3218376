namespace Tollgate.Emulator.Engine;

/// <summary>
/// The emulator's deterministic token arithmetic: about four characters per prompt token, one
/// token per word of a reply. Not a tokenizer; knobs override it when exact numbers matter.
/// </summary>
internal static class TokenEstimate
{
    /// <summary>Per-message framing overhead, like OpenAI's chat format adds.</summary>
    public const int PerMessage = 4;

    /// <summary>Tokens that prime the assistant reply.</summary>
    public const int ReplyPriming = 3;

    public static long FromChars(int length) => (length + 3) / 4;

    public static int CountWords(string text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var ws = char.IsWhiteSpace(c);
            if (!ws && !inWord)
            {
                count++;
            }

            inWord = !ws;
        }

        return count;
    }
}
