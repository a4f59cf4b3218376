using Npgsql;
using NpgsqlTypes;
using Tollgate.Storage.Responses;

namespace Tollgate.Storage.Postgres.Responses;

/// <summary>
/// Responses in the <c>responses</c> table of PostgreSQL (migration 4), shared by every instance. Calls are
/// synchronous, as <see cref="IResponseStore"/>'s are (Npgsql's own synchronous I/O, not a wait on a task): one
/// primary-key row read or write while the request that needs it is being answered.
/// </summary>
public sealed class PostgresResponseStore(NpgsqlDataSource dataSource) : IResponseStore
{
    public void Save(StoredResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var command = dataSource.CreateCommand("""
            INSERT INTO responses (id, owner, upstream, created_at, input_items, conversation, response) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, upstream = excluded.upstream, created_at = excluded.created_at,
              input_items = excluded.input_items, conversation = excluded.conversation, response = excluded.response
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = response.Id });
        p.Add(new NpgsqlParameter<string> { TypedValue = response.Owner });
        p.Add(new NpgsqlParameter<string?> { TypedValue = response.Upstream, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = response.CreatedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter<string> { TypedValue = response.InputItems });
        p.Add(new NpgsqlParameter<string> { TypedValue = response.Conversation });
        p.Add(new NpgsqlParameter<string> { TypedValue = response.Response });
        command.ExecuteNonQuery();
    }

    public StoredResponse? Find(string id, string owner)
    {
        using var command = dataSource.CreateCommand("SELECT id, owner, upstream, created_at, input_items, conversation, response FROM responses WHERE id = $1 AND owner = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner });
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new StoredResponse(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3).ToUniversalTime(),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6))
            : null;
    }

    public bool Delete(string id, string owner)
    {
        using var command = dataSource.CreateCommand("DELETE FROM responses WHERE id = $1 AND owner = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner });
        return command.ExecuteNonQuery() == 1;
    }

    public int Purge(DateTimeOffset before)
    {
        using var command = dataSource.CreateCommand("DELETE FROM responses WHERE created_at < $1");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = before.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command.ExecuteNonQuery();
    }
}
