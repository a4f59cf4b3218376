using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Gateway.Configuration;

/// <summary>
/// Reads the <c>public</c> section of <c>tollgate.json</c>:
/// <c>{"enabled": true, "models": ["demo/*"], "rpm": 10, "tokens_per_day": 100000, "usd_per_day": 0.10,
/// "trusted_proxies": ["10.0.0.0/8"], "cors_origins": ["https://app.example.com"]}</c>.
/// <c>tokens_per_day</c> and <c>usd_per_day</c> may be null for no limit.
/// </summary>
internal static class PublicModeLoader
{
    public static PublicModeOptions Read(JsonObject node, string path)
    {
        var o = new PublicModeOptions();
        try
        {
            foreach (var (name, value) in node)
            {
                o = name switch
                {
                    "enabled" => o with { Enabled = value!.GetValue<bool>() },
                    "models" => o with { Models = Strings(value) },
                    "rpm" => o with { RequestsPerMinute = Positive(value!.GetValue<int>(), name) },
                    "tokens_per_day" => o with { TokensPerDay = value is null ? null : Positive(value.GetValue<long>(), name) },
                    "usd_per_day" => o with { UsdPerDay = value is null ? null : value.GetValue<decimal>() },
                    "trusted_proxies" => o with { TrustedProxies = Strings(value) },
                    "cors_origins" => o with { CorsOrigins = Strings(value) },
                    "ipv6_prefix" => o with { Ipv6PrefixLength = value!.GetValue<int>() is var bits and >= 1 and <= 128 ? bits : throw new FormatException("'ipv6_prefix' must be 1 to 128") },
                    _ => throw new InvalidOperationException($"Unknown field 'public.{name}'. Known: enabled, models, rpm, tokens_per_day, usd_per_day, trusted_proxies, cors_origins, ipv6_prefix."),
                };
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException or NullReferenceException or ArgumentException)
        {
            throw new InvalidOperationException($"The 'public' section of {path} is malformed: {ex.Message}", ex);
        }

        foreach (var proxy in o.TrustedProxies)
        {
            if (!(proxy.Contains('/', StringComparison.Ordinal) ? IPNetwork.TryParse(proxy, out _) : IPAddress.TryParse(proxy, out _)))
            {
                throw new InvalidOperationException($"public.trusted_proxies in {path}: '{proxy}' is not an IP address or CIDR range.");
            }
        }

        return o;
    }

    private static string[] Strings(JsonNode? value) =>
        value is JsonArray a ? a.Select(n => n!.GetValue<string>()).ToArray() : throw new FormatException("expected an array of strings");

    private static T Positive<T>(T value, string name)
        where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new FormatException($"'{name}' must be positive");
}
