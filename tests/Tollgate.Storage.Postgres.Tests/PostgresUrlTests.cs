namespace Tollgate.Storage.Postgres.Tests;

public sealed class PostgresUrlTests
{
    [Fact]
    public void ToBuilder_Url_ReadsEveryPart()
    {
        var b = PostgresUrl.ToBuilder("postgres://ana%40corp:p%3Ass@db.internal:6543/ledger?sslmode=require");

        Assert.Equal("db.internal", b.Host);
        Assert.Equal(6543, b.Port);
        Assert.Equal("ana@corp", b.Username);
        Assert.Equal("p:ss", b.Password);
        Assert.Equal("ledger", b.Database);
        Assert.Equal(Npgsql.SslMode.Require, b.SslMode);
    }

    [Fact]
    public void ToBuilder_ConnectionString_IsTakenAsIs()
    {
        var b = PostgresUrl.ToBuilder("Host=127.0.0.1;Port=5433;Username=u;Password=secret;Database=d");

        Assert.Equal(5433, b.Port);
        Assert.Equal("secret", b.Password);
    }

    [Theory]
    [InlineData("mysql://u:p@h/d")]
    [InlineData("Database=d")]
    [InlineData("Nonsense=1;Host=h")]
    public void ToBuilder_Malformed_ThrowsFormatExceptionWithoutThePassword(string value)
    {
        var ex = Assert.Throws<FormatException>(() => PostgresUrl.ToBuilder(value));

        Assert.DoesNotContain("p@h", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_NeverShowsThePassword()
    {
        Assert.Equal("postgres://ana@db:5432/ledger", PostgresUrl.Describe("postgres://ana:hunter2@db/ledger"));
        Assert.Equal("postgres://u@h:5433/d", PostgresUrl.Describe("Host=h;Port=5433;Username=u;Password=hunter2;Database=d"));
        Assert.DoesNotContain("hunter2", PostgresUrl.Describe("postgres://ana:hunter2@/"), StringComparison.Ordinal);
    }
}
