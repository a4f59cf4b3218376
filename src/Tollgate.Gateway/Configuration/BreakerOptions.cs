namespace Tollgate.Gateway.Configuration;

/// <summary>
/// The circuit breaker of every deployment (<c>routing.breaker</c>), run by Polly: the circuit opens when the last
/// <see cref="Window"/> holds at least <see cref="Failures"/> requests to the deployment and at least
/// <see cref="FailureRatio"/> of them failed (so a deployment failing every request opens after exactly
/// <see cref="Failures"/> failures), stays open for <see cref="Open"/>, then lets one probe through.
/// </summary>
public sealed record BreakerOptions
{
    /// <summary>Polly's minimum throughput; 0 switches the breaker off. Polly needs at least 2.</summary>
    public int Failures { get; init; } = 5;

    /// <summary>Polly's sampling duration (<c>window_s</c>).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Polly's break duration (<c>open_s</c>).</summary>
    public TimeSpan Open { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Polly's failure ratio (<c>failure_ratio</c>), in (0, 1].</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>Whether deployments have a breaker at all.</summary>
    public bool Enabled => Failures > 0;
}
