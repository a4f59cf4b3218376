namespace Tollgate.Core.Catalog;

/// <summary>An entry of a LiteLLM price file that could not be imported, and why.</summary>
/// <param name="Key">The entry's key in the file (LiteLLM's model name).</param>
/// <param name="Reason">What is wrong with it, e.g. <c>input_cost_per_token is a string</c>.</param>
public sealed record LiteLlmBadEntry(string Key, string Reason);
