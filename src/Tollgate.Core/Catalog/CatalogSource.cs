namespace Tollgate.Core.Catalog;

/// <summary>Where a catalog entry's numbers come from.</summary>
public sealed record CatalogSource
{
    /// <summary>The file: a seed document, <c>built-in</c>, or a LiteLLM price file.</summary>
    public string? File { get; init; }

    /// <summary>When the file was taken, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>.</summary>
    public string? Date { get; init; }

    /// <summary>The entry's key in a LiteLLM file, e.g. <c>gemini/gemini-2.5-pro</c>.</summary>
    public string? Key { get; init; }

    public string? Note { get; init; }
}
