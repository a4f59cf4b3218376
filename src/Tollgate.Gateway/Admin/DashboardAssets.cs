using System.Collections.Frozen;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;

namespace Tollgate.Gateway.Admin;

/// <summary>
/// The dashboard's built files (src/Tollgate.Dashboard/dist), embedded in this assembly as resources named
/// <c>ui/&lt;path&gt;</c> by the build. They are read once, on the first <c>/ui/</c> request, each with its ETag and, for
/// text, a gzip copy, so serving one is then a dictionary lookup and a write. Not at start-up: compressing them took
/// about a tenth of the gateway's start-up CPU, and a gateway nobody opens the dashboard of never holds them.
/// </summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "ui/";

    private readonly Lazy<FrozenDictionary<string, DashboardAsset>> _files;

    public DashboardAssets()
        : this(typeof(DashboardAssets).Assembly)
    {
    }

    internal DashboardAssets(Assembly assembly) => _files = new Lazy<FrozenDictionary<string, DashboardAsset>>(() => Read(assembly));

    /// <summary>The files by their path under <c>/ui/</c> (<c>index.html</c>, <c>assets/index-3f2a.js</c>).</summary>
    public FrozenDictionary<string, DashboardAsset> Files => _files.Value;

    private static FrozenDictionary<string, DashboardAsset> Read(Assembly assembly)
    {
        var files = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var path = name[Prefix.Length..];
            files[path] = Load(path, copy.ToArray());
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static DashboardAsset Load(string path, byte[] body)
    {
        var type = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".json" or ".map" => "application/json; charset=utf-8",
            ".svg" => "image/svg+xml",
            ".png" => "image/png",
            ".ico" => "image/x-icon",
            ".woff2" => "font/woff2",
            ".txt" => "text/plain; charset=utf-8",
            _ => "application/octet-stream",
        };
        byte[]? gzip = null;
        if ((type.StartsWith("text/", StringComparison.Ordinal) || type.StartsWith("application/json", StringComparison.Ordinal) || type == "image/svg+xml") && body.Length > 1024)
        {
            using var packed = new MemoryStream();
            using (var zip = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zip.Write(body);
            }

            gzip = packed.ToArray();
        }

        // Vite names every file under assets/ after a hash of its content, so those never change under their name.
        var immutable = path.StartsWith("assets/", StringComparison.Ordinal);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 12)) + "\"";
        return new DashboardAsset(body, gzip, type, etag, immutable);
    }
}
