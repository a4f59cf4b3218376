namespace Tollgate.Dialects.Tests.Anthropic;

/// <summary>Finds the shared provider recordings by walking up from the test binaries.</summary>
internal static class Recordings
{
    public static string AnthropicDirectory { get; } = Find();

    public static string PathOf(string fileName) => Path.Combine(AnthropicDirectory, fileName);

    public static byte[] Bytes(string fileName) => File.ReadAllBytes(PathOf(fileName));

    public static string[] Lines(string fileName) =>
        File.ReadAllLines(PathOf(fileName)).Where(static l => l.Length > 0).ToArray();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "provider-recordings", "anthropic");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/fixtures/provider-recordings/anthropic not found above " + AppContext.BaseDirectory);
    }
}
