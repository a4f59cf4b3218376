namespace Tollgate.Gateway.Keys;

/// <summary>Matches model ids against <c>allowed_models</c> globs: <c>*</c> is any run of characters, <c>?</c> one; case-insensitive.</summary>
internal static class ModelGlob
{
    /// <summary>True when any glob matches either name (the routed <c>provider/model</c> id or the name the client sent).</summary>
    public static bool AnyMatch(IReadOnlyList<string> globs, string modelId, string? requested)
    {
        foreach (var glob in globs)
        {
            if (IsMatch(glob, modelId) || (requested is not null && IsMatch(glob, requested)))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsMatch(ReadOnlySpan<char> glob, ReadOnlySpan<char> text)
    {
        // Iterative wildcard match with one backtrack point: linear for the usual globs, no regex.
        int g = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (g < glob.Length && (glob[g] == '?' || char.ToLowerInvariant(glob[g]) == char.ToLowerInvariant(text[t])))
            {
                g++;
                t++;
            }
            else if (g < glob.Length && glob[g] == '*')
            {
                star = g++;
                mark = t;
            }
            else if (star >= 0)
            {
                g = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (g < glob.Length && glob[g] == '*')
        {
            g++;
        }

        return g == glob.Length;
    }
}
