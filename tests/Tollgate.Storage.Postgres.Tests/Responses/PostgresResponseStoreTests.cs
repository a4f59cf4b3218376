using Tollgate.Storage.Postgres.Responses;
using Tollgate.Storage.Responses;

namespace Tollgate.Storage.Postgres.Tests.Responses;

public sealed class PostgresResponseStoreTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SaveFindDelete_TwoInstances_SeeOneStore_EachResponseOnlyByItsOwner()
    {
        var (test, db) = await TestDatabase.CreateMigratedAsync();
        await using (test)
        await using (db)
        await using (var other = PostgresDatabase.Open(test.ConnectionString))
        {
            var a = new PostgresResponseStore(db.DataSource);
            var b = new PostgresResponseStore(other.DataSource);
            // JSON comes back byte for byte (text, not jsonb, which would reorder keys and drop spacing).
            var stored = new StoredResponse("resp_1", "tg-k1", null, s_now.AddTicks(1230), """[{"role":"user", "content":"Hi é"}]""", """[{"b":1,"a":2}]""", """{"id":"resp_1","z":0,"a":1}""");
            a.Save(stored);

            Assert.Equal(stored, b.Find("resp_1", "tg-k1"));
            Assert.Null(b.Find("resp_1", "tg-k2"));
            Assert.Null(b.Find("resp_2", "tg-k1"));

            // Saving again replaces it.
            var replaced = stored with { Upstream = "openai", Response = """{"id":"resp_1","status":"completed"}""" };
            b.Save(replaced);
            Assert.Equal(replaced, a.Find("resp_1", "tg-k1"));

            Assert.False(a.Delete("resp_1", "tg-k2"));
            Assert.True(b.Delete("resp_1", "tg-k1"));
            Assert.Null(a.Find("resp_1", "tg-k1"));
            Assert.False(a.Delete("resp_1", "tg-k1"));
        }
    }

    [Fact]
    public async Task Purge_RemovesOnlyWhatWasStoredBefore()
    {
        var (test, db) = await TestDatabase.CreateMigratedAsync();
        await using (test)
        await using (db)
        {
            var store = new PostgresResponseStore(db.DataSource);
            for (var i = 0; i < 5; i++)
            {
                store.Save(new StoredResponse("resp_" + i, "master", null, s_now.AddDays(-i), "[]", "[]", "{}"));
            }

            Assert.Equal(2, store.Purge(s_now.AddDays(-2).AddSeconds(-1)));
            Assert.NotNull(store.Find("resp_2", "master"));
            Assert.Null(store.Find("resp_3", "master"));
            Assert.Equal(0, store.Purge(s_now.AddDays(-2).AddSeconds(-1)));
        }
    }
}
