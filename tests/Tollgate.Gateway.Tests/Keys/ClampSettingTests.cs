using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tollgate.Storage.Keys;

namespace Tollgate.Gateway.Tests.Keys;

/// <summary>A key's <c>limit.clamp</c> and <c>limit.clamp_min_output</c>: set, shown, kept across a restart, and added to an older keys table (malformed ones: KeyManagementTests).</summary>
public sealed class ClampSettingTests
{
    [Fact]
    public async Task CreateAndPatch_ClampFields_ShownAndKeptAcrossRestart()
    {
        await using var gw = await KeysGateway.StartAsync();
        var created = await gw.CreateKeyAsync(new { limit = new { retention = "month", threshold = 1 } });
        var prefix = created.GetProperty("prefix").GetString();

        // The default: on, with the 1,024-token minimum.
        Assert.True(created.GetProperty("limit").GetProperty("clamp").GetBoolean());
        Assert.Equal(1024, created.GetProperty("limit").GetProperty("clamp_min_output").GetInt64());

        var off = await PatchAsync(gw, prefix!, new { limit = new { clamp = false } });
        Assert.False(off.GetProperty("limit").GetProperty("clamp").GetBoolean());
        Assert.Equal(JsonValueKind.Null, off.GetProperty("limit").GetProperty("clamp_min_output").ValueKind);
        // The threshold a limit edit did not name is kept.
        Assert.Equal(1m, off.GetProperty("limit").GetProperty("threshold").GetDecimal());

        var min = await PatchAsync(gw, prefix!, new { limit = new { clamp_min_output = 2000 } });
        Assert.True(min.GetProperty("limit").GetProperty("clamp").GetBoolean());
        Assert.Equal(2000, min.GetProperty("limit").GetProperty("clamp_min_output").GetInt64());

        await gw.RestartAsync();
        using var read = await gw.SendAsync(HttpMethod.Get, "/v1/keys", KeysGateway.Master);
        var data = JsonDocument.Parse(await read.Content.ReadAsStringAsync()).RootElement.GetProperty("data").EnumerateArray().Single(k => k.GetProperty("prefix").GetString() == prefix);
        Assert.Equal(2000, data.GetProperty("limit").GetProperty("clamp_min_output").GetInt64());
    }

    [Fact]
    public async Task Open_KeysTableOfAnOlderVersion_AddsTheColumnWithTheDefaultClamp()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tollgate-keys-old-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "tollgate.db");
        try
        {
            using (var connection = new SqliteConnection($"Data Source={path}"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = """
                    CREATE TABLE keys (prefix TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, name TEXT, disabled INTEGER NOT NULL, scopes TEXT NOT NULL,
                      retention TEXT NOT NULL, threshold TEXT, rpm INTEGER, tpm INTEGER, max_parallel INTEGER, allowed_models TEXT NOT NULL,
                      expires_at TEXT, metadata TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT);
                    INSERT INTO keys VALUES ('tg-old00', 'abc', NULL, 0, '[]', 'month', '0.5', NULL, NULL, NULL, '[]', NULL, '{}', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', NULL);
                    """;
                command.ExecuteNonQuery();
            }

            SqliteConnection.ClearAllPools();
            var store = new SqliteKeyStore(path);
            var old = Assert.Single(await store.ListAsync());
            Assert.Null(old.ClampMinOutput);
            Assert.True(old.Clamp);
            Assert.Equal(1024, old.ClampMinimum);

            Assert.True(await store.UpdateAsync(old with { ClampMinOutput = 0 }));
            var updated = (await store.FindAsync("tg-old00"))!;
            Assert.False(updated.Clamp);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<JsonElement> PatchAsync(KeysGateway gw, string prefix, object body)
    {
        using var response = await gw.SendAsync(HttpMethod.Patch, $"/v1/keys/{prefix}", KeysGateway.Master, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }
}
