namespace Tollgate.Dialects.Tests.Anthropic;

/// <summary>Finds the shared provider recordings by walking up from the test binaries.</summary>
internal static class Recordings
{
    public static string Root { get; } = Find();

    public static string AnthropicDirectory => Path.Combine(Root, "anthropic");

    public static string PathOf(string fileName) => Path.Combine(AnthropicDirectory, fileName);

    /// <summary>Every recording of the OpenAI-dialect providers (all folders but anthropic and google) matching a suffix.</summary>
    public static IEnumerable<string> OpenAIDialect(string suffix) =>
        Directory.GetDirectories(Root)
            .Where(static d => Path.GetFileName(d) is not ("anthropic" or "google"))
            .SelectMany(d => Directory.GetFiles(d, "*" + suffix))
            .Order(StringComparer.Ordinal);

    public static byte[] Bytes(string fileName) => File.ReadAllBytes(PathOf(fileName));

    public static string[] Lines(string fileName) =>
        File.ReadAllLines(PathOf(fileName)).Where(static l => l.Length > 0).ToArray();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "provider-recordings");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/fixtures/provider-recordings not found above " + AppContext.BaseDirectory);
    }
}
