using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.Dialects;

public sealed class DialectProviderConfigTests
{
    [Fact]
    public void Load_GeminiAndAnthropicKeys_ProvidersWithTheirDialectsAndDefaultUrls()
    {
        var env = new Dictionary<string, string> { ["GEMINI_API_KEY"] = "g-key", ["ANTHROPIC_API_KEY"] = "a-key" };
        var options = GatewayOptionsLoader.Load(name => env.GetValueOrDefault(name), null);

        var gemini = Assert.Single(options.Providers, p => p.Id == "gemini");
        Assert.Equal(UpstreamDialect.Gemini, gemini.Dialect);
        Assert.Equal("https://generativelanguage.googleapis.com", gemini.BaseUrl);
        Assert.Equal("g-key", gemini.ApiKey);
        var anthropic = Assert.Single(options.Providers, p => p.Id == "anthropic");
        Assert.Equal(UpstreamDialect.Anthropic, anthropic.Dialect);
        Assert.Equal("https://api.anthropic.com", anthropic.BaseUrl);
        Assert.Equal(UnsupportedParameterPolicy.Drop, anthropic.UnsupportedParameters);
    }

    [Fact]
    public void Load_BaseUrlOverride_Honoured()
    {
        var env = new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "a", ["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9/" };
        var options = GatewayOptionsLoader.Load(name => env.GetValueOrDefault(name), null);

        Assert.Equal("http://127.0.0.1:9", Assert.Single(options.Providers, p => p.Id == "anthropic").BaseUrl);
    }

    [Fact]
    public void Load_ConfigFileDialectAndPolicy_Honoured()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                {"providers": {
                  "vertex-proxy": {"base_url": "http://127.0.0.1:9", "dialect": "gemini", "unsupported_params": "reject"},
                  "claude-proxy": {"base_url": "http://127.0.0.1:8", "dialect": "Anthropic"}
                }}
                """);
            var options = GatewayOptionsLoader.Load(_ => null, path);

            var vertex = Assert.Single(options.Providers, p => p.Id == "vertex-proxy");
            Assert.Equal(UpstreamDialect.Gemini, vertex.Dialect);
            Assert.Equal(UnsupportedParameterPolicy.Reject, vertex.UnsupportedParameters);
            Assert.Equal(UpstreamDialect.Anthropic, Assert.Single(options.Providers, p => p.Id == "claude-proxy").Dialect);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_UnknownPolicy_Throws()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"providers": {"x": {"base_url": "http://127.0.0.1:9", "unsupported_params": "ignore"}}}""");
            var ex = Assert.Throws<InvalidOperationException>(() => GatewayOptionsLoader.Load(_ => null, path));
            Assert.Contains("unsupported_params", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
