namespace Tollgate.Core.Catalog;

/// <summary>The price of one generated image of a quality and size.</summary>
public sealed record ImagePrice
{
    /// <summary><c>standard</c>, <c>hd</c>, <c>low</c>, <c>medium</c>, <c>high</c>; null when the price holds for any quality.</summary>
    public string? Quality { get; init; }

    /// <summary>Width x height as the OpenAI API writes it, e.g. <c>1024x1792</c>.</summary>
    public required string Size { get; init; }

    /// <summary>USD per image.</summary>
    public decimal Price { get; init; }
}
