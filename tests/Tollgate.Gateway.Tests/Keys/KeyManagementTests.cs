using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tollgate.Gateway.Tests.Keys;

public sealed class KeyManagementTests
{
    private static readonly Regex s_seedTime = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$");

    [Fact]
    public async Task CreateKey_SeedExampleBody_ReturnsSeedShapeWithFullKeyOnce()
    {
        await using var gw = await KeysGateway.StartAsync();

        // The request body of seed 004's example.
        var created = await gw.CreateKeyAsync(new { name = "20260202-key-for-llms", limit = new { retention = "week", threshold = 25 }, scopes = new[] { "model:chat", "model:responses" } });

        var key = created.GetProperty("key").GetString()!;
        Assert.StartsWith("tg-", key, StringComparison.Ordinal);
        Assert.Equal(43, key.Length);
        Assert.Equal(key[..8], created.GetProperty("prefix").GetString());
        Assert.Equal("20260202-key-for-llms", created.GetProperty("name").GetString());
        Assert.False(created.GetProperty("disabled").GetBoolean());
        Assert.Equal(["model:chat", "model:responses"], created.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("week", created.GetProperty("limit").GetProperty("retention").GetString());
        Assert.Equal(25m, created.GetProperty("limit").GetProperty("threshold").GetDecimal());
        Assert.Matches(s_seedTime, created.GetProperty("created_at").GetString());
        Assert.Matches(s_seedTime, created.GetProperty("updated_at").GetString());
        Assert.Equal(0m, created.GetProperty("monthly_usage").GetDecimal());

        // The list has the seed's fields but never the key itself.
        using var list = await gw.SendAsync(HttpMethod.Get, "/v1/keys", KeysGateway.Master);
        var listText = await list.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.DoesNotContain(key, listText, StringComparison.Ordinal);
        var item = Assert.Single(JsonDocument.Parse(listText).RootElement.GetProperty("data").EnumerateArray());
        foreach (var field in new[] { "name", "prefix", "disabled", "scopes", "limit", "created_at", "updated_at", "monthly_usage", "rpm", "tpm", "max_parallel", "allowed_models", "expires_at", "metadata" })
        {
            Assert.True(item.TryGetProperty(field, out _), field);
        }

        Assert.False(item.TryGetProperty("key", out _));
    }

    [Fact]
    public async Task UpdateKey_Patch_ChangesOnlyGivenFields()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { name = "a", rpm = 5, allowed_models = new[] { "demo/*" }, metadata = new { team = "search" } });
        var prefix = created.GetProperty("prefix").GetString();

        using var response = await gw.SendAsync(HttpMethod.Patch, $"/v1/keys/{prefix}", KeysGateway.Master, new { disabled = true, tpm = 1000, limit = new { retention = "day", threshold = 1.5 } });
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = JsonDocument.Parse(text).RootElement.GetProperty("data");
        Assert.True(data.GetProperty("disabled").GetBoolean());
        Assert.Equal("a", data.GetProperty("name").GetString());
        Assert.Equal(5, data.GetProperty("rpm").GetInt32());
        Assert.Equal(1000, data.GetProperty("tpm").GetInt64());
        Assert.Equal("day", data.GetProperty("limit").GetProperty("retention").GetString());
        Assert.Equal(1.5m, data.GetProperty("limit").GetProperty("threshold").GetDecimal());
        Assert.Equal("search", data.GetProperty("metadata").GetProperty("team").GetString());
        Assert.False(data.TryGetProperty("key", out _));
    }

    [Fact]
    public async Task DeleteKey_Existing_ReturnsSeedShapeAndKeyStops()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { name = "gone" });
        var prefix = created.GetProperty("prefix").GetString();

        using var delete = await gw.SendAsync(HttpMethod.Delete, $"/v1/keys/{prefix}", KeysGateway.Master);
        var data = JsonDocument.Parse(await delete.Content.ReadAsStringAsync()).RootElement.GetProperty("data");
        using var again = await gw.SendAsync(HttpMethod.Delete, $"/v1/keys/{prefix}", KeysGateway.Master);
        using var list = await gw.SendAsync(HttpMethod.Get, "/v1/keys", KeysGateway.Master);

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(prefix, data.GetProperty("prefix").GetString());
        Assert.True(data.GetProperty("deleted").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Empty(JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task GetOwnKey_VirtualKey_ReturnsItsParameters()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { name = "mine", scopes = new[] { "model:chat" }, limit = new { retention = "no_reset", threshold = 25 } });

        using var response = await gw.SendAsync(HttpMethod.Get, "/v1/key", created.GetProperty("key").GetString());
        var data = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mine", data.GetProperty("name").GetString());
        Assert.Equal(created.GetProperty("prefix").GetString(), data.GetProperty("prefix").GetString());
        Assert.Equal("no_reset", data.GetProperty("limit").GetProperty("retention").GetString());
        Assert.False(data.TryGetProperty("key", out _));
    }

    [Theory]
    [InlineData("POST", "/v1/keys")]
    [InlineData("GET", "/v1/keys")]
    [InlineData("PATCH", "/v1/keys/PREFIX")]
    [InlineData("DELETE", "/v1/keys/PREFIX")]
    public async Task ManagementEndpoint_VirtualKey_Returns403(string method, string path)
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { name = "user" });
        var key = created.GetProperty("key").GetString();

        using var response = await gw.SendAsync(new HttpMethod(method), path.Replace("PREFIX", created.GetProperty("prefix").GetString(), StringComparison.Ordinal), key, method is "POST" or "PATCH" ? new { disabled = false } : null);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("master key", text, StringComparison.Ordinal);
        using var list = await gw.SendAsync(HttpMethod.Get, "/v1/keys", KeysGateway.Master);
        Assert.Single(JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("{\"limit\":{\"retention\":\"year\"}}", "limit.retention")]
    [InlineData("{\"limit\":{\"threshold\":-1}}", "limit.threshold")]
    [InlineData("{\"rpm\":0}", "rpm")]
    [InlineData("{\"scopes\":\"model:chat\"}", "scopes")]
    [InlineData("{\"expires_at\":\"soon\"}", "expires_at")]
    [InlineData("{\"colour\":\"red\"}", "colour")]
    [InlineData("{\"limit\":{\"clamp\":false,\"clamp_min_output\":2000}}", "limit.clamp_min_output")]
    [InlineData("{\"limit\":{\"clamp\":\"no\"}}", "limit.clamp")]
    [InlineData("{\"limit\":{\"clamp_min_output\":0}}", "limit.clamp_min_output")]
    public async Task CreateKey_MalformedField_Returns400NamingIt(string body, string param)
    {
        await using var gw = await KeysGateway.StartAsync();

        using var response = await gw.SendAsync(HttpMethod.Post, "/v1/keys", KeysGateway.Master, body);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Database_AfterKeysAndRequests_HoldsHashButNeverTheKey()
    {
        var secrets = new List<string>();
        string dataDir;
        await using (var gw = await KeysGateway.StartAsync())
        {
            dataDir = gw.DataDir;
            for (var i = 0; i < 3; i++)
            {
                var created = await gw.CreateKeyAsync(new { name = "k" + i });
                secrets.Add(created.GetProperty("key").GetString()!);
                using var chat = await gw.ChatAsync(secrets[^1]);
                Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
            }

            // Read the files while the gateway runs (WAL included), then again after it stopped.
            AssertNoSecret(dataDir, secrets);
            var copy = Path.Combine(Path.GetTempPath(), "tollgate-keys-copy-" + Guid.NewGuid().ToString("N"));
            CopyDirectory(dataDir, copy);
            await gw.DisposeAsync();
            AssertNoSecret(copy, secrets);
            // The hash is there (in the database or its write-ahead log), so the scan did read the key rows.
            var hash = Encoding.UTF8.GetBytes(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(secrets[0]))));
            Assert.Contains(Directory.GetFiles(copy), f => Contains(File.ReadAllBytes(f), hash));
            Directory.Delete(copy, true);
        }
    }

    private static void AssertNoSecret(string dir, List<string> secrets)
    {
        foreach (var file in Directory.GetFiles(dir))
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var memory = new MemoryStream())
            {
                stream.CopyTo(memory);
                bytes = memory.ToArray();
            }

            foreach (var secret in secrets)
            {
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(secret)), $"{Path.GetFileName(file)} holds a key");
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(secret[8..])), $"{Path.GetFileName(file)} holds a key's secret part");
            }
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var target = File.Create(Path.Combine(to, Path.GetFileName(file)));
            source.CopyTo(target);
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
