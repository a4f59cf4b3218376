using System.Net;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Public;

/// <summary>
/// The client's IP for per-IP limits: the connection's address, unless that is a configured trusted proxy, in
/// which case <c>X-Forwarded-For</c> is walked from the right (the entry the proxy itself appended) past any
/// further trusted proxies. A header from anyone else is ignored, so clients cannot pick their own address.
/// </summary>
internal sealed class ClientAddressResolver
{
    private readonly IPNetwork[] _trusted;

    public ClientAddressResolver(GatewayOptions options)
    {
        _trusted = options.Public.TrustedProxies.Select(Parse).ToArray();
    }

    public IPAddress Resolve(HttpContext context)
    {
        var remote = Normalize(context.Connection.RemoteIpAddress ?? IPAddress.IPv6None);
        if (!IsTrusted(remote))
        {
            return remote;
        }

        var header = context.Request.Headers["X-Forwarded-For"];
        var client = remote;
        for (var h = header.Count - 1; h >= 0; h--)
        {
            var parts = (header[h] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            for (var i = parts.Length - 1; i >= 0; i--)
            {
                if (!IPAddress.TryParse(parts[i], out var hop))
                {
                    return client;
                }

                client = Normalize(hop);
                if (!IsTrusted(client))
                {
                    return client;
                }
            }
        }

        return client;
    }

    /// <summary>
    /// What per-IP limits count <paramref name="client"/> as: an IPv4 address itself, an IPv6 address by its network
    /// of <paramref name="ipv6PrefixLength"/> bits (<c>2001:db8:1:2::/64</c>), so one /64 is one client however many
    /// addresses it rotates through.
    /// </summary>
    public static string LimitKey(IPAddress client, int ipv6PrefixLength)
    {
        ArgumentNullException.ThrowIfNull(client);
        client = Normalize(client);
        if (client.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || ipv6PrefixLength >= 128)
        {
            return client.ToString();
        }

        return new IPNetwork(Mask(client, ipv6PrefixLength), ipv6PrefixLength).ToString();
    }

    private static IPAddress Mask(IPAddress address, int bits)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        for (var i = 0; i < 16; i++)
        {
            var keep = Math.Clamp(bits - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    private bool IsTrusted(IPAddress address)
    {
        foreach (var net in _trusted)
        {
            if (net.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress Normalize(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    private static IPNetwork Parse(string value)
    {
        if (value.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.Parse(value);
        }

        var address = Normalize(IPAddress.Parse(value));
        return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }
}
