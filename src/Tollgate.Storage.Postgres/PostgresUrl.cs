using System.Globalization;
using Npgsql;

namespace Tollgate.Storage.Postgres;

/// <summary>Reads <c>postgres://</c> URLs and connection strings, and describes them without their password.</summary>
public static class PostgresUrl
{
    /// <summary>A builder for <paramref name="value"/>: a <c>postgres://</c> or <c>postgresql://</c> URL, else an Npgsql connection string.</summary>
    /// <exception cref="FormatException">Neither form, with what is wrong (never the password).</exception>
    public static NpgsqlConnectionStringBuilder ToBuilder(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        value = value.Trim();
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return FromUrl(value);
        }

        if (value.Contains("://", StringComparison.Ordinal))
        {
            throw new FormatException("must be a postgres:// URL or an Npgsql connection string (Host=...;Database=...).");
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(value);
            if (string.IsNullOrEmpty(builder.Host))
            {
                throw new FormatException("the connection string names no Host.");
            }

            return builder;
        }
        catch (ArgumentException ex)
        {
            throw new FormatException("is not a valid Npgsql connection string: " + ex.Message, ex);
        }
    }

    /// <summary><c>postgres://user@host:port/db</c>, never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var user = string.IsNullOrEmpty(builder.Username) ? "" : Uri.EscapeDataString(builder.Username) + "@";
        return $"postgres://{user}{builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}/{builder.Database}";
    }

    /// <summary><see cref="Describe"/> of <paramref name="value"/>, or a note that it is malformed (still without the password).</summary>
    public static string Describe(string value)
    {
        try
        {
            return Describe(ToBuilder(value));
        }
        catch (FormatException)
        {
            return "(malformed database URL)";
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("is not a valid URL; expected postgres://user:password@host:port/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.Port > 0 ? uri.Port : 5432,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        // Query parameters are connection string keywords (sslmode=require, Pooling=false, ...).
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var setting = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            try
            {
                builder[name.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : name] = setting;
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"has an unknown or invalid parameter '{name}': {ex.Message}", ex);
            }
        }

        return builder;
    }
}
