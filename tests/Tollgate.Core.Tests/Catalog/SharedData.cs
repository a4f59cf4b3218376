namespace Tollgate.Core.Tests.Catalog;

/// <summary>The repository's sibling <c>shared/data</c> folder, found by walking up from the test binaries.</summary>
internal static class SharedData
{
    public static string Path(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "..", "shared", "data", file);
            if (File.Exists(candidate))
            {
                return System.IO.Path.GetFullPath(candidate);
            }
        }

        throw new FileNotFoundException("shared/data was not found beside the repository.", file);
    }
}
