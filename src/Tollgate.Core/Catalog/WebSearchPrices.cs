namespace Tollgate.Core.Catalog;

/// <summary>USD per web search by search context size (OpenAI's and Perplexity's <c>search_context_size</c>).</summary>
public sealed record WebSearchPrices
{
    public decimal Low { get; init; }

    public decimal Medium { get; init; }

    public decimal High { get; init; }
}
