using System.Runtime.Versioning;
using Tollgate.Storage.Keys;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Tests.Settlement;

/// <summary>The SQLite database and its WAL are readable by their owner only, like master.key.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class DatabaseFileModeTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Stores_NewDatabase_FileAndWalAreOwnerOnly_InAnOwnerOnlyDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tollgate-mode-" + Guid.NewGuid().ToString("N"), "data");
        var path = Path.Combine(dir, "tollgate.db");
        try
        {
            _ = new SqliteKeyStore(path);
            {
                await using var ledger = new SqliteLedger(path);
                ledger.Append(new LedgerEntry { Id = "req_mode", Time = DateTimeOffset.UnixEpoch, Endpoint = "chat", Status = 200, LatencyMs = 1 });
                await ledger.FlushAsync();

                Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
                Assert.True(File.Exists(path + "-wal"));
                Assert.Equal(OwnerOnly, File.GetUnixFileMode(path + "-wal"));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
        }
    }

    [Fact]
    public async Task Stores_ExistingReadableDatabase_IsMadeOwnerOnly()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tollgate-mode-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(dir, "tollgate.db");
        Directory.CreateDirectory(dir);
        try
        {
            await File.WriteAllBytesAsync(path, []);
            File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            await using (new SqliteLedger(path))
            {
                Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
