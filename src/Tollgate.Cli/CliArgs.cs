namespace Tollgate.Cli;

/// <summary>
/// A small parser for <c>--name value</c>, <c>--name=value</c> and <c>--flag</c> options after a command. Only the
/// options a command declares are accepted: an unknown one, or a value option without its value, is an error naming it.
/// </summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    /// <param name="args">The words after the command.</param>
    /// <param name="command">The command, for error messages (<c>keys create</c>).</param>
    /// <param name="flags">Options that take no value.</param>
    /// <param name="options">Options that take a value.</param>
    public CliArgs(IEnumerable<string> args, string command, IReadOnlySet<string> flags, IReadOnlySet<string> options)
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
            var name = eq > 0 ? a[2..eq] : a[2..];
            if (flags.Contains(name))
            {
                _options[name] = eq > 0 ? a[(eq + 1)..] : null;
            }
            else if (!options.Contains(name))
            {
                throw new CliException($"Unknown option --{name} for 'tollgate {command}'. 'tollgate {command.Split(' ')[0]} --help' lists its options.");
            }
            else if (eq > 0)
            {
                _options[name] = a[(eq + 1)..];
            }
            else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                _options[name] = list[++i];
            }
            else
            {
                throw new CliException($"--{name} needs a value.");
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
