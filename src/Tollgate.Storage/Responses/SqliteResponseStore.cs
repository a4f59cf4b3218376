using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Tollgate.Storage.Responses;

/// <summary>
/// Responses in the <c>responses</c> table of the gateway's SQLite database (the ledger's file). Calls are
/// synchronous: one indexed row read or write, made while the request that needs it is being answered.
/// </summary>
public sealed class SqliteResponseStore : IResponseStore
{
    private readonly string _connectionString;

    public SqliteResponseStore(string databasePath)
    {
        SqliteFile.Prepare(databasePath);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS responses (
              id TEXT PRIMARY KEY,
              owner TEXT NOT NULL,
              upstream TEXT,
              created_at TEXT NOT NULL,
              input_items TEXT NOT NULL,
              conversation TEXT NOT NULL,
              response TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS responses_created ON responses (created_at);
            """;
        command.ExecuteNonQuery();
    }

    public void Save(StoredResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO responses (id, owner, upstream, created_at, input_items, conversation, response) VALUES ($id, $owner, $upstream, $created, $input, $conversation, $response)";
        command.Parameters.AddWithValue("$id", response.Id);
        command.Parameters.AddWithValue("$owner", response.Owner);
        command.Parameters.AddWithValue("$upstream", (object?)response.Upstream ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", Time(response.CreatedAt));
        command.Parameters.AddWithValue("$input", response.InputItems);
        command.Parameters.AddWithValue("$conversation", response.Conversation);
        command.Parameters.AddWithValue("$response", response.Response);
        command.ExecuteNonQuery();
    }

    public StoredResponse? Find(string id, string owner)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, owner, upstream, created_at, input_items, conversation, response FROM responses WHERE id = $id AND owner = $owner";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$owner", owner);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new StoredResponse(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture), reader.GetString(4), reader.GetString(5), reader.GetString(6))
            : null;
    }

    public bool Delete(string id, string owner)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM responses WHERE id = $id AND owner = $owner";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$owner", owner);
        return command.ExecuteNonQuery() == 1;
    }

    public int Purge(DateTimeOffset before)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM responses WHERE created_at < $before";
        command.Parameters.AddWithValue("$before", Time(before));
        return command.ExecuteNonQuery();
    }

    // Fixed-width UTC timestamps compare as text in their time order.
    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
