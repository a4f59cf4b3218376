using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.Configuration;

/// <summary><c>log_format</c> / <c>log_requests</c> in tollgate.json and their variables.</summary>
public sealed class LoggingSettingsTests
{
    [Fact]
    public void Load_Nothing_IsTextWithoutRequestLines()
    {
        var options = GatewayOptionsLoader.Load(_ => null, null);

        Assert.Equal(LogFormat.Text, options.LogFormat);
        Assert.False(options.LogRequests);
    }

    [Fact]
    public void Load_Variables_SetFormatAndRequestLines()
    {
        var env = new Dictionary<string, string> { ["TOLLGATE_LOG_FORMAT"] = "JSON", ["TOLLGATE_LOG_REQUESTS"] = "1" };

        var options = GatewayOptionsLoader.Load(n => env.GetValueOrDefault(n), null);

        Assert.Equal(LogFormat.Json, options.LogFormat);
        Assert.True(options.LogRequests);
    }

    [Fact]
    public void Load_File_SetsFormatAndRequestLines()
    {
        var options = ConfigFile.Load("""{ "log_format": "json", "log_requests": true }""");

        Assert.Equal(LogFormat.Json, options.LogFormat);
        Assert.True(options.LogRequests);
    }

    [Theory]
    [InlineData("TOLLGATE_LOG_FORMAT", "xml", "TOLLGATE_LOG_FORMAT must be 'text' or 'json', not 'xml'.")]
    [InlineData("TOLLGATE_LOG_REQUESTS", "maybe", "TOLLGATE_LOG_REQUESTS must be 1 or 0 (true or false), not 'maybe'.")]
    public void Load_BadVariable_StopsNamingIt(string name, string value, string message)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => GatewayOptionsLoader.Load(n => n == name ? value : null, null));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Load_BadFormatInFile_NamesTheField()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ConfigFile.Load("""{ "log_format": "yaml" }"""));

        Assert.Contains("'log_format' in ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("must be 'text' or 'json', not 'yaml'", ex.Message, StringComparison.Ordinal);
    }
}
