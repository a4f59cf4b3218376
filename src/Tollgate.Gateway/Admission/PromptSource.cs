namespace Tollgate.Gateway.Admission;

/// <summary>What admission counts as a request's input: the prompt, and definitions outside it the provider bills too.</summary>
/// <param name="Prompt">The JSON holding the prompt (the <c>messages</c> array, an <c>input</c>, or a whole body).</param>
/// <param name="Definitions">Tool and function definitions and a response schema, when they lie outside <paramref name="Prompt"/>.</param>
/// <param name="Choices">Choices asked for (chat's <c>n</c>): the output is reserved this many times.</param>
internal readonly record struct PromptSource(ReadOnlyMemory<byte> Prompt, IReadOnlyList<ReadOnlyMemory<byte>>? Definitions, long Choices = 1);
