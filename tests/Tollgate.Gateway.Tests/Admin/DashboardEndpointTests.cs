using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Tollgate.Gateway.Tests.Keys;

namespace Tollgate.Gateway.Tests.Admin;

/// <summary>The built dashboard as the gateway serves it at /ui/: embedded files, headers, caching and redirects.</summary>
public sealed partial class DashboardEndpointTests
{
    [Fact]
    public async Task Index_IsServedWithAStrictPolicy_AndItsScriptsExist()
    {
        await using var gw = await KeysGateway.StartAsync();
        using var index = await gw.SendAsync(HttpMethod.Get, "/ui/", null);

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType!.MediaType);
        var csp = index.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("http", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", index.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", index.Headers.GetValues("X-Frame-Options").Single());

        // No inline script: every script is a file under /ui/assets/, served as JavaScript and cacheable for good.
        var html = await index.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(InlineScript(), html);
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(scripts);
        foreach (var src in scripts)
        {
            Assert.StartsWith("/ui/assets/", src, StringComparison.Ordinal);
            using var script = await gw.SendAsync(HttpMethod.Get, src, null);
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
            Assert.Contains("immutable", script.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("innerHTML", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Asset_GzipAndETag_AreHonoured()
    {
        await using var gw = await KeysGateway.StartAsync();
        var html = await (await gw.SendAsync(HttpMethod.Get, "/ui/", null)).Content.ReadAsStringAsync();
        var src = ScriptSource().Match(html).Groups[1].Value;
        using var plain = await gw.SendAsync(HttpMethod.Get, src, null);
        var body = await plain.Content.ReadAsByteArrayAsync();

        using var zipped = await gw.SendAsync(HttpMethod.Get, src, null, configure: r => r.Headers.AcceptEncoding.ParseAdd("gzip"));
        Assert.Equal("gzip", zipped.Content.Headers.ContentEncoding.Single());
        var packed = await zipped.Content.ReadAsByteArrayAsync();
        Assert.True(packed.Length < body.Length / 2, $"{packed.Length} of {body.Length} bytes");
        using (var unzip = new GZipStream(new MemoryStream(packed), CompressionMode.Decompress))
        using (var copy = new MemoryStream())
        {
            await unzip.CopyToAsync(copy);
            Assert.Equal(body, copy.ToArray());
        }

        var etag = plain.Headers.ETag!.Tag;
        using var again = await gw.SendAsync(HttpMethod.Get, src, null, configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ui")]
    public async Task RootAndUi_RedirectToTheDashboard(string path)
    {
        await using var gw = await KeysGateway.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = gw.Http.BaseAddress };
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task UnknownFile_Is404_WithThePolicyToo()
    {
        await using var gw = await KeysGateway.StartAsync();
        using var response = await gw.SendAsync(HttpMethod.Get, "/ui/assets/nope.js", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<script[^>]*\\bsrc=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSource();
}
