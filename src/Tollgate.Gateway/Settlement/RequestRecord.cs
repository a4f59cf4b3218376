using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Routing;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Settlement;

/// <summary>What one request has gathered on its way, turned into exactly one ledger entry at the end.</summary>
internal sealed class RequestRecord(string id, string endpoint, long startTimestamp, DateTimeOffset startTime)
{
    public string Id { get; } = id;
    public string Endpoint { get; } = endpoint;
    public long StartTimestamp { get; } = startTimestamp;

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset StartTime { get; } = startTime;
    public KeyContext? Key { get; set; }
    /// <summary>The deployment of the current (at the end, the answering) attempt.</summary>
    public Route? Route { get; set; }

    /// <summary>Where the request's model name led: every deployment it may try.</summary>
    public RoutePlan? Plan { get; set; }

    /// <summary>Each attempt in order: deployment, outcome, time taken.</summary>
    public List<AttemptRecord> Attempts { get; } = [];
    public string? RequestedModel { get; set; }
    public bool Stream { get; set; }
    public double? TtftMs { get; set; }
    public bool Written { get; private set; }

    /// <summary>The request's span, null when nothing listens; the settler puts the outcome on it.</summary>
    public System.Diagnostics.Activity? Span { get; set; }

    /// <summary>The service tier the request asked for; priced at that tier when the model offers it.</summary>
    public ServiceTier Tier { get; set; }

    /// <summary>What the request used that is not tokens (images, characters, seconds), priced at the model's unit prices.</summary>
    public UnitUsage? Units { get; set; }

    /// <summary>
    /// For endpoints priced per unit (images, speech, transcription): the most the request can cost on a model, which
    /// admission reserves instead of the token bound; null for token-priced endpoints.
    /// </summary>
    public Func<Tollgate.Core.Catalog.ModelEntry, decimal>? WorstCase { get; set; }

    /// <summary>What admission took for this request; settled when the ledger entry is written.</summary>
    public global::Tollgate.Gateway.Admission.AdmissionTicket? Admission { get; set; }

    /// <summary>
    /// What <paramref name="usage"/> costs the client on the route: the catalog price, or 0 on a free tier; null when
    /// the model has no price. Without trailing zeros, so every translator that writes it prints 0.0013, not 0.00130.
    /// </summary>
    public decimal? Price(TokenUsage? usage)
    {
        // The exchange prices the usage it writes into the response and the settler prices it again for the entry:
        // the same usage on the same route, tier and units is priced once.
        if (usage is not null && ReferenceEquals(_pricedUsage, usage) && ReferenceEquals(_pricedRoute, Route) && ReferenceEquals(_pricedUnits, Units) && _pricedTier == Tier)
        {
            return _price;
        }

        var price = Route is { Free: true } && ListPrice(usage) is not null ? 0m : ListPrice(usage);
        (_pricedUsage, _pricedRoute, _pricedUnits, _pricedTier, _price) = (usage, Route, Units, Tier, price);
        return price;
    }

    // The last usage priced, with what its price depended on (all immutable, so the same references price the same).
    private TokenUsage? _pricedUsage;
    private Route? _pricedRoute;
    private UnitUsage? _pricedUnits;
    private ServiceTier _pricedTier;
    private decimal? _price;

    /// <summary>The catalog price of <paramref name="usage"/> on the route's model, free tier or not.</summary>
    public decimal? ListPrice(TokenUsage? usage) =>
        Route?.Model is { } model && usage is not null
            ? Money.Normalize(CostCalculator.Calculate(model, usage, Units ?? UnitUsage.None, CostCalculator.Offers(model, Tier) ? Tier : ServiceTier.Standard).Total)
            : null;

    public LedgerEntry ToEntry(int status, string? errorType, TokenUsage? usage, bool estimated, double latencyMs)
    {
        Written = true;
        var cost = Price(usage);
        var listCost = Route is { Free: true } ? ListPrice(usage) : cost;
        return new LedgerEntry
        {
            Id = Id,
            Time = StartTime,
            KeyId = Key?.KeyId,
            Endpoint = Endpoint,
            Provider = Route?.Upstream.Id,
            Model = Route?.ModelId ?? RequestedModel,
            Stream = Stream,
            Status = status,
            ErrorType = errorType,
            LatencyMs = latencyMs,
            TtftMs = TtftMs,
            InputTokens = usage?.InputTokens ?? 0,
            CacheReadTokens = usage?.CacheReadTokens ?? 0,
            CacheWriteTokens = (usage?.CacheWrite5mTokens ?? 0) + (usage?.CacheWrite1hTokens ?? 0),
            OutputTokens = usage?.OutputTokens ?? 0,
            ReasoningTokens = usage?.ReasoningTokens ?? 0,
            Cost = cost,
            ListCost = listCost != cost ? listCost : null,
            Attempts = LedgerAttempts(),
            Estimated = estimated,
            Unpriced = Route is not null && Route.Model is null,
        };
    }

    // One array sized to the attempts, written once per request; no list when nothing was sent.
    private LedgerAttempt[] LedgerAttempts()
    {
        if (Attempts.Count == 0)
        {
            return [];
        }

        var attempts = new LedgerAttempt[Attempts.Count];
        for (var i = 0; i < attempts.Length; i++)
        {
            var a = Attempts[i];
            attempts[i] = new LedgerAttempt(a.Provider, a.Model, a.Status, a.Failure, a.LatencyMs);
        }

        return attempts;
    }
}
