using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.Configuration;

/// <summary>Writes a <c>tollgate.json</c> to a temporary file and loads it with no environment but the given variables.</summary>
internal static class ConfigFile
{
    public static GatewayOptions Load(string json, Dictionary<string, string>? env = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tollgate-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            return GatewayOptionsLoader.Load(name => env?.GetValueOrDefault(name), path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The message of the start-up error the file causes, with the temporary file name replaced by <c>tollgate.json</c>.</summary>
    public static string Error(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tollgate-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var ex = Assert.Throws<InvalidOperationException>(() => GatewayOptionsLoader.Load(_ => null, path));
            Assert.StartsWith(path + ": ", ex.Message, StringComparison.Ordinal);
            return "tollgate.json" + ex.Message[path.Length..];
        }
        finally
        {
            File.Delete(path);
        }
    }
}
