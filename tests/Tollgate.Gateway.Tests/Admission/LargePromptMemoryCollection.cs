namespace Tollgate.Gateway.Tests.Admission;

/// <summary>Runs <see cref="LargePromptMemoryTests"/> alone.</summary>
[CollectionDefinition(nameof(LargePromptMemoryTests), DisableParallelization = true)]
public sealed class LargePromptMemoryCollection;
