using System.Net;

namespace Tollgate.Storage.Redis.Tests;

public sealed class RedisUrlTests
{
    [Fact]
    public void Parse_FullUrl_ReadsEveryPart()
    {
        var o = RedisUrl.Parse("rediss://app:s%3Acret@cache.internal:6380/3");

        Assert.True(o.Ssl);
        Assert.Equal("app", o.User);
        Assert.Equal("s:cret", o.Password);
        Assert.Equal(3, o.DefaultDatabase);
        Assert.Equal(new DnsEndPoint("cache.internal", 6380), o.EndPoints[0]);
        Assert.False(o.AbortOnConnectFail);
    }

    [Fact]
    public void Parse_HostOnly_DefaultsPortAndDatabase()
    {
        var o = RedisUrl.Parse("redis://127.0.0.1");

        Assert.Equal(6379, ((IPEndPoint)o.EndPoints[0]).Port);
        Assert.Null(o.DefaultDatabase);
    }

    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("http://127.0.0.1:6379")]
    [InlineData("redis://127.0.0.1:6379/cache")]
    public void Parse_Malformed_Throws(string url) => Assert.Throws<FormatException>(() => RedisUrl.Parse(url));

    [Fact]
    public void Describe_NeverShowsThePassword()
    {
        Assert.Equal("redis://127.0.0.1:6380/2", RedisUrl.Describe("redis://:hunter2@127.0.0.1:6380/2"));
        Assert.Equal("redis://app@cache:6379/0", RedisUrl.Describe("redis://app:hunter2@cache"));
        Assert.Equal("(malformed Redis URL)", RedisUrl.Describe("redis://app:hunter2@cache/x"));
    }
}
