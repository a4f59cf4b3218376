namespace Tollgate.Gateway.Tests.Telemetry;

/// <summary>
/// Meters and activity sources are process-wide by name: a gateway's exporter would also see what another test's
/// gateway records at the same time. Telemetry tests therefore run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
