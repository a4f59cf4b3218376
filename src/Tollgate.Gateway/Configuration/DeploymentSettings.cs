namespace Tollgate.Gateway.Configuration;

/// <summary>One deployment of a model group: a configured provider and the name it knows the model by.</summary>
public sealed record DeploymentSettings
{
    /// <summary>The provider id, a key of <c>providers</c> or a provider switched on from the environment.</summary>
    public required string Provider { get; init; }

    /// <summary>The model name sent to the provider.</summary>
    public required string Model { get; init; }

    /// <summary>The share of traffic under the <c>weighted</c> strategy; positive, 1 unless set.</summary>
    public int Weight { get; init; } = 1;
}
