using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.Configuration;

public sealed class ProvidersSectionTests
{
    [Fact]
    public void Load_LimitsOnEnvironmentProvider_KeepsKeyAndAddsLimits()
    {
        var options = ConfigFile.Load("""{"providers": {"groq": {"free": true, "limits": {"rpm": 30, "rpd": 14400, "tpm": 6000, "tpd": 500000}}}}""",
            new() { ["GROQ_API_KEY"] = "gsk-1" });

        var groq = Assert.Single(options.Providers);
        Assert.Equal("gsk-1", groq.ApiKey);
        Assert.True(groq.Free);
        Assert.Equal(new ProviderLimits { RequestsPerMinute = 30, RequestsPerDay = 14400, TokensPerMinute = 6000, TokensPerDay = 500000 }, groq.Limits);
    }

    [Theory]
    [InlineData("""{"providers": {"groq-free": {"base_url": "http://127.0.0.1:9", "limits": {"rpm": 0}}}}""", "tollgate.json: providers.groq-free.limits.rpm: must be 1 or more, not 0")]
    [InlineData("""{"providers": {"groq-free": {"base_url": "http://127.0.0.1:9", "limits": {"rph": 10}}}}""", "tollgate.json: providers.groq-free.limits.rph: unknown field (known: rpm, rpd, tpm, tpd)")]
    [InlineData("""{"providers": {"groq-free": {"base_url": "http://127.0.0.1:9", "free": "yes"}}}""", "tollgate.json: providers.groq-free.free: must be true or false")]
    [InlineData("""{"providers": {"x": {"base_url": "http://127.0.0.1:9", "dialect": "cohere"}}}""", "tollgate.json: providers.x.dialect: must be \"openai\", \"anthropic\" or \"gemini\", not \"cohere\"")]
    [InlineData("""{"providers": {"x": {}}}""", "tollgate.json: providers.x.base_url: provider 'x' needs a base_url")]
    public void Load_BadProviderValue_ErrorNamesFileAndField(string json, string expected)
    {
        Assert.Equal(expected, ConfigFile.Error(json));
    }
}
