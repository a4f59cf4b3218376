namespace Tollgate.Dialects.Tests.TestSupport;

/// <summary>Finds the shared provider recordings: the repository's sibling folder <c>shared/fixtures/provider-recordings</c>.</summary>
internal static class Recordings
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string PathOf(string provider, string file) => Path.Combine(Root, provider, file);

    public static byte[] ReadBytes(string provider, string file) => File.ReadAllBytes(PathOf(provider, file));

    /// <summary>The non-empty lines of a <c>.chunks.txt</c> recording, one chunk's JSON each.</summary>
    public static string[] ReadChunks(string provider, string file) =>
        File.ReadAllLines(PathOf(provider, file)).Where(l => l.Length > 0).ToArray();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "fixtures", "provider-recordings");
            if (Directory.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new DirectoryNotFoundException("shared/fixtures/provider-recordings was not found beside the repository.");
    }
}
