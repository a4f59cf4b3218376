using System.Text.RegularExpressions;

namespace Tollgate.Core.Tests.Catalog;

/// <summary>
/// The seed documents the catalog was built from, found next to the repository
/// (<c>&lt;repo&gt;/../shared/seeds</c>) by walking up from the test binaries.
/// </summary>
internal static partial class SeedFiles
{
    public const string ResearchLog = "000_8b2dea290987c8e8.txt";
    public const string OpenAiPricingPage = "001_f17115467d5bc734.txt";
    public const string OpenAiPer1KTable = "002_e3bf925021372278.txt";
    public const string FreeApiDiscussion = "003_8c7c3ddccc99fbd6.txt";

    private static readonly Lazy<string> s_directory = new(FindDirectory);

    public static string Directory => s_directory.Value;

    /// <summary>The seed's text with trailing spaces removed from every line, so phrases can span lines.</summary>
    public static string Read(string name) =>
        TrailingSpaces().Replace(File.ReadAllText(Path.Combine(Directory, name)), "\n");

    private static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "seeds");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No shared/seeds folder above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"[ \t]+\r?\n")]
    private static partial Regex TrailingSpaces();
}
