namespace Tollgate.Dialects.Tests.Gemini;

/// <summary>Finds the shared provider recordings by walking up from the test binaries.</summary>
internal static class GeminiRecordings
{
    private static readonly Lazy<string> Dir = new(Locate);

    public static string Path(string name) => System.IO.Path.Combine(Dir.Value, name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path(name));

    /// <summary>The non-empty lines of a <c>.chunks.txt</c> recording, each one SSE data payload.</summary>
    public static IReadOnlyList<string> Chunks(string name) =>
        File.ReadAllLines(Path(name)).Where(l => l.Length > 0).ToList();

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "fixtures", "provider-recordings", "google");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("No shared/fixtures/provider-recordings/google above " + AppContext.BaseDirectory);
    }
}
