namespace Tollgate.Gateway.Routing;

/// <summary>How a request's attempts ended.</summary>
internal enum RoutingEndKind
{
    /// <summary>Attempts are still being made.</summary>
    InProgress,

    /// <summary>An attempt succeeded.</summary>
    Succeeded,

    /// <summary>The last failure was final (a 4xx): pass the provider's answer on.</summary>
    PassedOn,

    /// <summary>Attempts were made and all failed, or time ran out: answer with the last failure.</summary>
    GaveUp,

    /// <summary>Nothing was sent: every deployment was passed over (see <see cref="RoutingEnd.QuotaExhausted"/>).</summary>
    NoneAvailable,
}
