using System.Globalization;
using StackExchange.Redis;

namespace Tollgate.Storage.Redis;

/// <summary>Reads <c>redis://[user:password@]host[:port][/db]</c> (or <c>rediss://</c> for TLS) and describes it without the password.</summary>
public static class RedisUrl
{
    /// <summary>Connection options for <paramref name="url"/>: reconnecting by itself, with short timeouts so a lost server is noticed quickly.</summary>
    /// <exception cref="FormatException">Not such a URL, with what is wrong (never the password).</exception>
    public static ConfigurationOptions Parse(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("must be a URL such as redis://host:port or redis://host:port/db (rediss:// for TLS).");
        }

        var options = new ConfigurationOptions
        {
            Ssl = uri.Scheme == "rediss",
            AbortOnConnectFail = false,
            ConnectTimeout = 3000,
            SyncTimeout = 2000,
            AsyncTimeout = 2000,
            ClientName = "tollgate",

            // Try again every half second after a lost connection, so limits come back soon after Redis does.
            ReconnectRetryPolicy = new LinearRetry(500),

            // While disconnected, calls fail at once (a 503 now) rather than queue until their timeout.
            BacklogPolicy = BacklogPolicy.FailFast,
        };
        options.EndPoints.Add(uri.Host.Trim('[', ']'), uri.Port > 0 ? uri.Port : 6379);
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                options.Password = Uri.UnescapeDataString(uri.UserInfo);
            }
            else
            {
                var user = Uri.UnescapeDataString(uri.UserInfo[..colon]);
                options.User = user.Length > 0 ? user : null;
                options.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            options.DefaultDatabase = int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var db) && db < 16_384
                ? db
                : throw new FormatException($"names database '{path}'; the path must be a database number such as /0.");
        }

        return options;
    }

    /// <summary><c>redis://host:port/db</c>, never the user's password; a note when the URL is malformed.</summary>
    public static string Describe(string url)
    {
        try
        {
            var options = Parse(url);
            var endpoint = options.EndPoints[0];
            var host = endpoint switch
            {
                System.Net.DnsEndPoint d => $"{d.Host}:{d.Port.ToString(CultureInfo.InvariantCulture)}",
                _ => endpoint.ToString(),
            };
            var user = options.User is { } u ? Uri.EscapeDataString(u) + "@" : "";
            return $"{(options.Ssl ? "rediss" : "redis")}://{user}{host}/{(options.DefaultDatabase ?? 0).ToString(CultureInfo.InvariantCulture)}";
        }
        catch (FormatException)
        {
            return "(malformed Redis URL)";
        }
    }
}
