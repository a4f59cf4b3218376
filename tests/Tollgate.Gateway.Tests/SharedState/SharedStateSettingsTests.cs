using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.SharedState;

public sealed class SharedStateSettingsTests
{
    [Fact]
    public void Load_VariablesAndFile_VariablesWin()
    {
        var file = Write("""{ "database_url": "postgres://file@db/file", "redis_url": "redis://file:6379/1", "redis_lease_seconds": 5, "fail_open": true }""");
        var env = new Dictionary<string, string> { ["TOLLGATE_DATABASE_URL"] = "postgres://env:pw@db/env" };

        var options = GatewayOptionsLoader.Load(n => env.GetValueOrDefault(n), file);

        Assert.Equal("postgres://env:pw@db/env", options.DatabaseUrl);
        Assert.Equal("redis://file:6379/1", options.RedisUrl);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RedisLease);
        Assert.True(options.FailOpen);
    }

    [Fact]
    public void Load_NoneSet_KeepsSqliteAndMemory()
    {
        var options = GatewayOptionsLoader.Load(_ => null, null);

        Assert.Null(options.DatabaseUrl);
        Assert.Null(options.RedisUrl);
        Assert.False(options.FailOpen);
    }

    [Fact]
    public void Load_MalformedRedisUrlInFile_NamesTheFieldAndNotThePassword()
    {
        var file = Write("""{ "redis_url": "redis://:hunter2@cache/zero" }""");

        var ex = Assert.Throws<InvalidOperationException>(() => GatewayOptionsLoader.Load(_ => null, file));

        Assert.Contains("'redis_url' in " + file, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MalformedDatabaseVariable_NamesTheVariable()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => GatewayOptionsLoader.Load(n => n == "TOLLGATE_DATABASE_URL" ? "mysql://u:hunter2@h/d" : null, null));

        Assert.StartsWith("TOLLGATE_DATABASE_URL must be", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    private static string Write(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), "tollgate-settings-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }
}
