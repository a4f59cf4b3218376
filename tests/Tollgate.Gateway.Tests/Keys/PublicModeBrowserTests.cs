using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.Keys;

/// <summary>
/// Public mode from a real browser: headless Chromium (Debian's <c>chromium</c> package) loads a page from one
/// localhost origin that calls the gateway, on another, with <c>fetch</c> (a JSON POST, so the browser sends a
/// CORS preflight first). The page writes what it saw into the DOM, which <c>--dump-dom</c> prints.
/// </summary>
[Trait("Category", "Browser")]
public sealed class PublicModeBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Fetch_FromAllowedOrigin_GetsRepliesThenPerIpLimit_OtherOriginIsBlocked()
    {
        await using var allowedPage = await PageServer.StartAsync();
        await using var otherPage = await PageServer.StartAsync();
        var publicMode = new PublicModeOptions
        {
            Enabled = true,
            Models = ["demo/priced"],
            RequestsPerMinute = 3,
            TokensPerDay = null,
            UsdPerDay = null,
            CorsOrigins = [allowedPage.Origin],
        };
        await using var gw = await KeysGateway.StartAsync(new ManualClock(new DateTimeOffset(2026, 11, 24, 12, 0, 30, TimeSpan.Zero)), publicMode: publicMode);
        var gateway = gw.Http.BaseAddress!.ToString().TrimEnd('/');

        var allowed = await RunPageAsync($"{allowedPage.Origin}/page.html?gw={Uri.EscapeDataString(gateway)}");
        var blocked = await RunPageAsync($"{otherPage.Origin}/page.html?gw={Uri.EscapeDataString(gateway)}");

        // Three replies, then the per-IP limit of 3 per minute, readable by the page because errors carry CORS headers too.
        var statuses = allowed.GetProperty("statuses").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal([200, 200, 200, 429], statuses);
        Assert.Equal("Echo: Hello from the browser", allowed.GetProperty("reply").GetString());
        Assert.Equal("0", allowed.GetProperty("remaining").GetString());
        Assert.Equal("30", allowed.GetProperty("retryAfter").GetString());

        // The other origin's preflight is refused, so the browser never sends the request.
        Assert.Contains("Failed to fetch", blocked.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, blocked.GetProperty("statuses").GetArrayLength());
    }

    private static async Task<JsonElement> RunPageAsync(string url)
    {
        var profile = Path.Combine(Path.GetTempPath(), "tollgate-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={profile}", "--virtual-time-budget=15000", "--dump-dom", url })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var dom = await stdout;
        await stderr;
        try
        {
            Directory.Delete(profile, true);
        }
        catch (IOException)
        {
        }

        var startTag = dom.IndexOf("<pre id=\"out\">", StringComparison.Ordinal);
        Assert.True(startTag >= 0, dom);
        var json = dom[(startTag + "<pre id=\"out\">".Length)..dom.IndexOf("</pre>", startTag, StringComparison.Ordinal)];
        return JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(json)).RootElement.Clone();
    }

    private sealed class PageServer : IAsyncDisposable
    {
        private const string Page = """
            <!doctype html>
            <html><body><pre id="out">pending</pre><script>
            const gw = new URLSearchParams(location.search).get('gw');
            const result = { statuses: [] };
            async function run() {
              try {
                for (let i = 0; i < 4; i++) {
                  const r = await fetch(gw + '/v1/chat/completions', {
                    method: 'POST',
                    headers: { 'content-type': 'application/json' },
                    body: JSON.stringify({ model: 'demo/priced', max_tokens: 10, messages: [{ role: 'user', content: 'Hello from the browser' }] })
                  });
                  result.statuses.push(r.status);
                  result.remaining = r.headers.get('x-ratelimit-remaining-requests');
                  result.retryAfter = r.headers.get('retry-after');
                  const body = await r.json();
                  if (r.status === 200) { result.reply = body.choices[0].message.content; }
                }
              } catch (e) {
                result.error = String(e);
              }
              document.getElementById('out').textContent = JSON.stringify(result);
            }
            run();
            </script></body></html>
            """;

        private WebApplication _app = null!;

        public string Origin { get; private set; } = "";

        public static async Task<PageServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapGet("/page.html", static (HttpContext c) =>
            {
                c.Response.ContentType = "text/html; charset=utf-8";
                return c.Response.WriteAsync(Page);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new PageServer { _app = app, Origin = address.TrimEnd('/') };
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
