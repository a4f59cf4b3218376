namespace Tollgate.Cli;

/// <summary>A small parser for <c>--name value</c>, <c>--name=value</c> and <c>--flag</c> options after a command.</summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public CliArgs(IEnumerable<string> args, IReadOnlySet<string> flags)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                Positional.Add(a);
                continue;
            }

            var eq = a.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                _options[a[2..eq]] = a[(eq + 1)..];
            }
            else if (flags.Contains(a[2..]) || i + 1 >= list.Count || list[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                _options[a[2..]] = null;
            }
            else
            {
                _options[a[2..]] = list[++i];
            }
        }
    }

    public List<string> Positional { get; } = [];

    public IEnumerable<string> Names => _options.Keys;

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Get(string name) => _options.GetValueOrDefault(name);

    /// <summary>A non-negative whole number, or null when absent; throws <see cref="CliException"/> when malformed.</summary>
    public long? GetCount(string name)
    {
        var raw = Get(name);
        if (raw is null)
        {
            return Has(name) ? throw new CliException($"--{name} needs a number.") : null;
        }

        return long.TryParse(raw.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new CliException($"--{name} must be a whole number of tokens, not '{raw}'.");
    }
}

/// <summary>A usage error: printed without a stack trace, exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
