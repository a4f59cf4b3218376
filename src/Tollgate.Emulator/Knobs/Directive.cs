namespace Tollgate.Emulator.Knobs;

/// <summary>
/// The in-message knob grammar: a line of the last user message that starts with <c>#emulator</c>
/// followed by whitespace-separated <c>name=value</c> pairs, e.g. <c>#emulator status=500 latency_ms=20</c>.
/// A bare word is a fault (<c>#emulator hang</c>). Such lines are knobs, not conversation: they are removed from the text the reply echoes.
/// </summary>
internal static class Directive
{
    private const string Marker = "#emulator";

    /// <summary>Appends the directive pairs found in <paramref name="text"/> and returns the text without directive lines.</summary>
    public static string Extract(string text, List<KeyValuePair<string, string>> pairs)
    {
        if (!text.Contains(Marker, StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }

        var kept = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith(Marker, StringComparison.OrdinalIgnoreCase)
                || (trimmed.Length > Marker.Length && !char.IsWhiteSpace(trimmed[Marker.Length])))
            {
                kept.Add(line);
                continue;
            }

            foreach (var token in trimmed[Marker.Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = token.IndexOf('=');
                // A bare word is a fault shorthand: "#emulator cut" means "#emulator fault=cut".
                pairs.Add(eq < 0
                    ? new KeyValuePair<string, string>("fault", token)
                    : new KeyValuePair<string, string>(token[..eq], token[(eq + 1)..]));
            }
        }

        return string.Join('\n', kept);
    }
}
