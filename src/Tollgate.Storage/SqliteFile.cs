namespace Tollgate.Storage;

/// <summary>
/// Where the SQLite stores (ledger, keys, responses) keep their one database file: created readable by its owner only
/// (0600, in a 0700 directory when the directory is new), like <c>master.key</c>. SQLite gives its <c>-wal</c> and
/// <c>-shm</c> files the database file's permissions, so they are private too.
/// </summary>
public static class SqliteFile
{
    /// <summary>Creates the directory and an empty database file when missing, and makes the file owner-only.</summary>
    public static void Prepare(string databasePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // The common case (every start after the first, and the second store of one file) is answered without the
        // IOException of CreateNew, whose first throw costs milliseconds of start-up (its message is a resource lookup).
        if (File.Exists(databasePath))
        {
            File.SetUnixFileMode(databasePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return;
        }

        try
        {
            // A zero-length file is an empty database to SQLite; creating it here fixes its mode before any data is in it.
            using var created = new FileStream(databasePath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(databasePath))
        {
            // There already (an earlier run, or another store of the same file opened first).
            File.SetUnixFileMode(databasePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
