namespace Tollgate.Core.Catalog;

/// <summary>What <see cref="LiteLlmImporter"/> made of a LiteLLM price file.</summary>
public sealed record LiteLlmImportResult
{
    /// <summary>The imported models, in file order.</summary>
    public required IReadOnlyList<ModelEntry> Models { get; init; }

    /// <summary>How many models were imported (the length of <see cref="Models"/>).</summary>
    public int Imported => Models.Count;

    /// <summary>
    /// Entries left out on purpose: not models (<c>sample_spec</c>, <c>fallback_generalizations</c>, LiteLLM's
    /// mode-less price rules), no price Tollgate can bill (per page, per DBU, per result-count tier), a second
    /// entry for a provider/model already imported, or a per-size image price folded into its model's entry.
    /// </summary>
    public int Skipped => SkippedByReason.Values.Sum();

    /// <summary>
    /// <see cref="Skipped"/> broken down by reason (<c>not a model</c>, <c>no price</c>, <c>duplicate</c>,
    /// <c>image size price (folded into its model)</c>).
    /// </summary>
    public required IReadOnlyDictionary<string, int> SkippedByReason { get; init; }

    /// <summary>Entries that look like models but are malformed; they are left out and the import goes on.</summary>
    public required IReadOnlyList<LiteLlmBadEntry> Bad { get; init; }
}
