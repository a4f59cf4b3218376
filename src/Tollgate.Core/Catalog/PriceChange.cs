namespace Tollgate.Core.Catalog;

/// <summary>One changed price of one model in a <see cref="CatalogDiff"/>: USD per 1M tokens of one kind, before and after.</summary>
/// <param name="Model">The model's id, <c>provider/model</c>.</param>
/// <param name="Kind">The token kind (<c>input</c>, <c>output</c>, <c>cached_input</c>, ...) or <see cref="CatalogDiff.OtherPrices"/>.</param>
/// <param name="Old">The old price, null when the old version had none for this kind.</param>
/// <param name="New">The new price, null when the new version has none for this kind.</param>
public sealed record PriceChange(string Model, string Kind, decimal? Old, decimal? New);
