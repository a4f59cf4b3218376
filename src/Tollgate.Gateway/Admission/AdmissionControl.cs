using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;
using Tollgate.Gateway.Settlement;
using Tollgate.Gateway.Auth;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Errors;
using Tollgate.Gateway.Keys;
using Tollgate.Storage;
using Tollgate.Storage.Limits;
using Tollgate.Storage.Keys;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Admission;

/// <summary>
/// Decides, after the route is known and before the upstream is called, whether a request may go:
/// scopes and allowed models (403), then max_parallel, RPM, TPM and the budget, taken together all or nothing (one
/// <see cref="ILimitStore.TryTakeAsync"/>, one round trip with Redis). A refusal names the first limit that did not fit
/// in that order: 429 with <c>Retry-After</c> for a rate limit, 429 <c>insufficient_quota</c> with
/// <c>x-should-retry: false</c> for the budget. Every dialect's path calls <see cref="AdmitAsync"/> once and
/// <see cref="Settle"/> once, where it writes its ledger entry.
/// <para>
/// Rate windows are fixed UTC minutes (and UTC days for public mode's tokens per day): exact within a window,
/// so at 60 RPM exactly 60 requests of a burst pass; a client can get up to twice the rate across a window
/// boundary. TPM reserves the request's worst case (prompt bound with its margin + output limit) at admission and
/// corrects to the provider's reported total when the request settles, so concurrent requests cannot pass it.
/// </para>
/// <para>
/// Budgets reserve the worst case: the prompt's bound (<see cref="TokenEstimator.BoundPrompt"/>: text, tool
/// definitions, token arrays, images, audio and files) plus a margin of a quarter and 16 tokens
/// (providers count a little differently), plus <c>max_tokens</c> (else the model's max output, else
/// <see cref="DefaultMaxOutputTokens"/>), priced at the higher of the input and cache-write rates. A key with a
/// budget cannot use an unpriced model (400 <c>model_unpriced</c>): its spend could not be bounded. The master key has no limits.
/// </para>
/// <para>
/// When the budget or the TPM window cannot cover the worst case but can cover the prompt and the key's minimum output,
/// the output limit is clamped to the largest that fits (<see cref="OutputClamp"/>), unless the key says
/// <c>limit.clamp: false</c>; the pipeline writes it into the body the provider receives.
/// </para>
/// </summary>
internal sealed partial class AdmissionControl
{
    /// <summary>
    /// Kept back from the remaining budget a clamp fits into: a shared budget (Redis) rounds a reservation up and the
    /// threshold down to whole nano-dollars, which could otherwise refuse a clamped worst case that fits to the last digit.
    /// </summary>
    private const decimal ClampRoundingSlack = 0.000000002m;

    /// <summary>Output tokens reserved when neither the request nor the catalog bounds them.</summary>
    public const long DefaultMaxOutputTokens = 16_384;

    private readonly ILimitStore _limits;
    private readonly BudgetTracker _budgets;
    private readonly TimeProvider _time;
    private readonly GatewayOptions _options;
    private readonly KeyCache _keys;
    private readonly ILedger _ledger;
    private readonly ILogger<AdmissionControl> _logger;
    private readonly Dictionary<string, string> _seededRetention = new(StringComparer.Ordinal);

    public AdmissionControl(ILimitStore limits, BudgetTracker budgets, TimeProvider time, GatewayOptions options, KeyCache keys, ILedger ledger, ILogger<AdmissionControl> logger)
    {
        _limits = limits;
        _budgets = budgets;
        _time = time;
        _options = options;
        _keys = keys;
        _ledger = ledger;
        _logger = logger;
        _keys.Changed += OnKeysChanged;
    }

    /// <summary>
    /// Admits the request or says why not. <paramref name="prompt"/> is the JSON holding the prompt (the
    /// <c>messages</c> array or <c>input</c>; any JSON works, its strings are counted) and is only tokenized when
    /// a TPM limit or budget needs it. On success the ticket is stored in <c>record.Admission</c>, and rate-limit
    /// headers are set on the response either way.
    /// </summary>
    /// <param name="clampable">Whether the endpoint can take a lowered output limit (<see cref="Inbound.InboundDialect.ClampsOutput"/>): then a key with the clamp on lowers it rather than refuse (<see cref="OutputClamp"/>).</param>
    public async ValueTask<AdmissionResult> AdmitAsync(HttpContext context, RequestRecord record, ReadOnlyMemory<byte> prompt, long? maxTokens, IReadOnlyList<ReadOnlyMemory<byte>>? definitions = null, long choices = 1, bool clampable = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(record);
        var key = record.Key;
        if (key is null || key.IsMaster || record.Route is not { } route)
        {
            return default;
        }

        AdmissionResult result;
        try
        {
            // First with the prompt bounded by its byte count (free, and an upper bound for every BPE tokenizer); only a
            // request that bound refuses is counted again with the tokenizer, which costs ~0.2 us per byte of text.
            var source = new PromptSource(prompt, definitions, choices);
            result = await AdmitOnceAsync(context, record, key, route, source, maxTokens, clampable, tokenize: false).ConfigureAwait(false);
            if (result.ByTokens)
            {
                result = await AdmitOnceAsync(context, record, key, route, source, maxTokens, clampable, tokenize: true).ConfigureAwait(false);
            }
        }
        catch (SharedStateUnavailableException ex) when (_options.FailOpen)
        {
            // fail_open: the operator chose availability over the limits while the shared store is away.
            LogLimitsUnavailable(_logger, "admitted unchecked (fail_open): " + ex.Message);
            result = default;
        }
        catch (SharedStateUnavailableException ex)
        {
            // Fail closed: a limit that cannot be checked is not passed. Keyless and master traffic never gets here.
            LogLimitsUnavailable(_logger, ex.Message);
            context.Response.Headers.RetryAfter = "1";
            result = Refuse(new ApiError(StatusCodes.Status503ServiceUnavailable, "This key's limits and budget are kept in a shared store that cannot be reached right now, so the request was not admitted. Retry shortly.", "api_error", null, "limits_unavailable"));
        }
        if (result.Ticket is { } ticket)
        {
            record.Admission = ticket;
            context.Response.RegisterForDispose(ticket);
        }

        return result;
    }

    private ValueTask<AdmissionResult> AdmitOnceAsync(HttpContext context, RequestRecord record, KeyContext key, Routing.Route route, PromptSource source, long? maxTokens, bool clampable, bool tokenize) =>
        key.Virtual is { } vk
            ? AdmitKeyAsync(context, record, vk, route.ModelId, route.Model, source, maxTokens, clampable, tokenize)
            : key.IsPublic
                ? AdmitPublicAsync(context, record, key, route.ModelId, route.Model, source, maxTokens, tokenize)
                : default;

    /// <summary>
    /// Gives back what admission took, exactly once per ticket: the parallel slot; the TPM window corrected to
    /// <paramref name="usage"/>'s total (or refunded when there is none); the budget reservation replaced by
    /// <paramref name="actualCost"/> (0 when null).
    /// </summary>
    public void Settle(AdmissionTicket? ticket, decimal? actualCost, TokenUsage? usage)
    {
        if (ticket is null || !ticket.TryClose())
        {
            return;
        }

        var tokensDelta = ticket.Take.Tokens is { } tokens ? (usage?.TotalTokens ?? 0) - tokens.Amount : 0;
        var giving = GiveBackAsync(ticket, tokensDelta, actualCost ?? 0m);
        if (!giving.IsCompletedSuccessfully)
        {
            // Not awaited: the request is done.
            _ = giving.AsTask();
        }
    }

    private async ValueTask GiveBackAsync(AdmissionTicket ticket, long tokensDelta, decimal actualCost)
    {
        try
        {
            await _limits.GiveBackAsync(ticket.Take, ticket.Outcome, tokensDelta, actualCost).ConfigureAwait(false);
        }
        catch (SharedStateUnavailableException ex)
        {
            // The slot and the reservation end with their leases, and the reconciliation with the ledger counts the cost.
            LogLimitsUnavailable(_logger, "a settlement was not counted in the shared store: " + ex.Message);
        }
    }

    /// <summary>Settled and reserved spend of <paramref name="key"/> in its current period.</summary>
    public BudgetSnapshot Spend(VirtualKey key) => _budgets.Get(key.Prefix, key.Retention, BudgetPeriod.Start(key.Retention, _time.GetUtcNow()));

    /// <summary>Loads each budgeted key's spend in its current period from the ledger, so a restart does not reset budgets.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        foreach (var key in _keys.All)
        {
            await SeedAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads <paramref name="key"/>'s spend in its current period from the ledger (after a retention change).</summary>
    public async Task SeedAsync(VirtualKey key, CancellationToken cancellationToken = default)
    {
        var start = BudgetPeriod.Start(key.Retention, _time.GetUtcNow());

        // A request that settles while the ledger is summed may be missing from the sum: read again until none did.
        for (var tries = 0; ; tries++)
        {
            var settles = _budgets.Settles(key.Prefix);
            var spent = await LedgerSpentAsync(key.Prefix, start, cancellationToken).ConfigureAwait(false);
            if (await _budgets.SeedAsync(key.Prefix, key.Retention, start, spent, tries < 10 ? settles : -1).ConfigureAwait(false))
            {
                break;
            }
        }
        lock (_seededRetention)
        {
            _seededRetention[key.Prefix] = key.Retention;
        }
    }

    /// <summary>What the ledger holds of a budget's spend since <paramref name="start"/>; public-mode budgets (per client address) are not in it.</summary>
    private async ValueTask<decimal> LedgerSpentAsync(string id, DateTimeOffset start, CancellationToken cancellationToken = default)
    {
        if (id.StartsWith("ip:", StringComparison.Ordinal))
        {
            return 0m;
        }

        var rows = await _ledger.SummarizeAsync(new UsageQuery { From = start == DateTimeOffset.MinValue ? null : start, KeyId = id }, cancellationToken).ConfigureAwait(false);
        var spent = 0m;
        foreach (var row in rows)
        {
            spent += row.Cost;
        }

        return spent;
    }

    private void OnKeysChanged(IReadOnlyList<VirtualKey> changed)
    {
        foreach (var key in changed)
        {
            bool reseed;
            lock (_seededRetention)
            {
                reseed = !_seededRetention.TryGetValue(key.Prefix, out var retention) || retention != key.Retention;
            }

            if (reseed && key.DeletedAt is null)
            {
                // A new period length: this period's spend comes from the ledger.
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await SeedAsync(key, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        LogSeedFailed(_logger, key.Prefix, ex);
                    }
                });
            }
        }
    }

    /// <summary>
    /// Only the key's <c>scopes</c> and <c>allowed_models</c>, for requests that spend nothing and so take no rate
    /// or budget (<c>/v1/messages/count_tokens</c>, which still reaches the provider with its key): null when
    /// allowed, else the 403 to answer.
    /// </summary>
    public static ApiError? Authorize(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Key?.Virtual is { } key && record.Route is { } route ? CheckScopeAndModel(record, key, route.ModelId) : null;
    }

    private static ApiError? CheckScopeAndModel(RequestRecord record, VirtualKey key, string modelId)
    {
        var scope = Scope(record.Endpoint);
        if (key.Scopes.Count > 0 && !key.Scopes.Contains(scope, StringComparer.Ordinal))
        {
            return ApiError.Forbidden($"This key's scopes ({string.Join(", ", key.Scopes)}) do not include '{scope}', which this endpoint needs.");
        }

        if (key.AllowedModels.Count > 0 && !ModelGlob.AnyMatch(key.AllowedModels, modelId, record.RequestedModel))
        {
            return ApiError.Forbidden($"The model '{modelId}' is not in this key's allowed_models ({string.Join(", ", key.AllowedModels)}).");
        }

        return null;
    }

    private async ValueTask<AdmissionResult> AdmitKeyAsync(HttpContext context, RequestRecord record, VirtualKey key, string modelId, ModelEntry? model, PromptSource prompt, long? maxTokens, bool clampable, bool tokenize)
    {
        if (CheckScopeAndModel(record, key, modelId) is { } forbidden)
        {
            return Refuse(forbidden);
        }

        if (key.Threshold is not null && model is null)
        {
            return Refuse(Unpriced(modelId, "this key's budget"));
        }

        var promptTokens = key.Tpm is not null || key.Threshold is not null ? PromptTokens(record, prompt, tokenize) : 0;
        var now = _time.GetUtcNow();
        var minuteEnd = ((now.UtcTicks / TimeSpan.TicksPerMinute) + 1) * TimeSpan.TicksPerMinute;
        var resetIn = new DateTimeOffset(minuteEnd, TimeSpan.Zero) - now;
        var periodStart = key.Threshold is null ? default : BudgetPeriod.Start(key.Retention, now);
        var headers = context.Response.Headers;

        // Clamping needs an endpoint that can take a lowered limit, a token-priced request with output, and the key's consent;
        // and the tokenizer's count of the prompt, so a byte bound does not clamp what a tighter count would not.
        var clamp = tokenize && clampable && key.Clamp && record.WorstCase is null && OutputBound(record, model, maxTokens) > 0;
        var limit = maxTokens;
        long? clamped = null;
        LimitTake take;
        LimitOutcome taken;
        for (var attempt = 0; ; attempt++)
        {
            // Every limit of the key at once (one round trip to a shared store), all or nothing.
            take = new LimitTake
            {
                Parallel = key.MaxParallel is { } maxParallel ? new GaugeTake("par:" + key.Prefix, maxParallel) : null,
                Requests = key.Rpm is { } rpm ? new WindowTake("rpm:" + key.Prefix, minuteEnd, 1, rpm) : null,
                Tokens = key.Tpm is { } tpm ? new WindowTake("tpm:" + key.Prefix, minuteEnd, RequestTokens(record, model, promptTokens, limit, prompt.Choices), tpm) : null,
                Budget = key.Threshold is { } threshold ? new BudgetTake(key.Prefix, key.Retention, periodStart, threshold, WorstCaseOfPlan(record, model!, promptTokens, limit, prompt.Choices)) : null,
            };
            taken = await TakeAsync(take).ConfigureAwait(false);
            if (taken.Taken || !clamp || attempt == 2 || (taken.Refused & (LimitParts.Parallel | LimitParts.Requests)) != 0)
            {
                break;
            }

            // Refused by the TPM window or the budget only: the largest output limit that fits both, if it is still useful.
            var requested = limit ?? model?.MaxOutput ?? DefaultMaxOutputTokens;
            long? fit = requested;
            if ((taken.Refused & LimitParts.Tokens) != 0)
            {
                fit = OutputClamp.FitTokens(key.Tpm!.Value - taken.TokensCount, WithMargin(promptTokens), prompt.Choices, requested, key.ClampMinimum);
            }

            if (fit is { } byTokens && (taken.Refused & LimitParts.Budget) != 0)
            {
                fit = FitBudget(record, model!, promptTokens, prompt.Choices, key.Threshold!.Value - taken.BudgetSpent - taken.BudgetReserved - ClampRoundingSlack, requested, key.ClampMinimum) is { } byBudget
                    ? Math.Min(byTokens, byBudget)
                    : null;
            }

            if (fit is null)
            {
                break;
            }

            // The clamped worst case is taken as any other: atomically, so concurrent requests cannot pass a limit.
            limit = clamped = fit;
        }

        RateLimitHeaders(headers, take, taken, resetIn, resetIn);

        if (!taken.Taken)
        {
            if ((taken.Refused & LimitParts.Parallel) != 0)
            {
                headers.RetryAfter = "1";
                return Refuse(RateLimited($"This key allows {key.MaxParallel} requests in flight at once (max_parallel); retry when one finishes.", "requests"));
            }

            if ((taken.Refused & LimitParts.Requests) != 0)
            {
                headers.RetryAfter = Seconds(resetIn);
                return Refuse(RateLimited($"Rate limit reached: this key allows {key.Rpm} requests per minute (rpm). The window resets in {Seconds(resetIn)} s.", "requests"));
            }

            if ((taken.Refused & LimitParts.Tokens) != 0)
            {
                var t = take.Tokens!.Value;
                var message = t.Amount > t.Limit
                    ? $"Request too large: its prompt and output limit are up to {t.Amount} tokens, more than this key's whole limit of {t.Limit} tokens per minute (tpm). Lower max_tokens or the prompt."
                    : $"Rate limit reached: this key allows {t.Limit} tokens per minute (tpm); {taken.TokensCount} are used and this request may take up to {t.Amount} (prompt and output limit). The window resets in {Seconds(resetIn)} s.";
                headers.RetryAfter = Seconds(resetIn);
                return RefuseByTokens(RateLimited(message, "tokens"), tokenize);
            }

            var b = take.Budget!.Value;
            return RefuseByTokens(OverBudget(headers, b.Threshold, key.Retention, now, new BudgetSnapshot(taken.BudgetSpent, taken.BudgetReserved), b.Amount, "This key's"), tokenize);
        }

        if (clamped is { } c)
        {
            headers[OutputClamp.ClampedHeader] = c.ToString(CultureInfo.InvariantCulture);
            headers[OutputClamp.RequestedHeader] = maxTokens?.ToString(CultureInfo.InvariantCulture) ?? "none";
        }

        return new AdmissionResult(new AdmissionTicket(this, take, taken)
        {
            OutputLimit = clamped ?? maxTokens ?? 0,
            Clamped = clamped is not null,
            Choices = (int)prompt.Choices,
        }, null);
    }

    /// <summary>
    /// The largest output limit per choice whose worst case on the plan fits in <paramref name="remaining"/> (see
    /// <see cref="OutputClamp.Fit"/>). Its own method so the closure is made only on this path.
    /// </summary>
    private static long? FitBudget(RequestRecord record, ModelEntry model, long promptTokens, long choices, decimal remaining, long requested, long minimum) =>
        OutputClamp.Fit(remaining, requested, minimum, limit => WorstCaseOfPlan(record, model, promptTokens, limit, choices));

    private async ValueTask<AdmissionResult> AdmitPublicAsync(HttpContext context, RequestRecord record, KeyContext key, string modelId, ModelEntry? model, PromptSource prompt, long? maxTokens, bool tokenize)
    {
        var p = _options.Public;
        if (!ModelGlob.AnyMatch(p.Models, modelId, record.RequestedModel))
        {
            return Refuse(ApiError.Forbidden($"The model '{modelId}' is not open to requests without an API key on this gateway; send a key."));
        }

        if (p.UsdPerDay is not null && model is null)
        {
            return Refuse(Unpriced(modelId, "the public daily limit"));
        }

        var ip = "ip:" + Public.ClientAddressResolver.LimitKey(key.PublicClient!, p.Ipv6PrefixLength);
        var now = _time.GetUtcNow();
        var minuteEnd = ((now.UtcTicks / TimeSpan.TicksPerMinute) + 1) * TimeSpan.TicksPerMinute;
        var dayEnd = ((now.UtcTicks / TimeSpan.TicksPerDay) + 1) * TimeSpan.TicksPerDay;
        var resetIn = new DateTimeOffset(minuteEnd, TimeSpan.Zero) - now;
        var dayReset = new DateTimeOffset(dayEnd, TimeSpan.Zero) - now;
        var headers = context.Response.Headers;
        var promptTokens = p.TokensPerDay is not null || p.UsdPerDay is not null ? PromptTokens(record, prompt, tokenize) : 0;
        var take = new LimitTake
        {
            Requests = new WindowTake("rpm:" + ip, minuteEnd, 1, p.RequestsPerMinute),
            Tokens = p.TokensPerDay is { } perDay ? new WindowTake("tpd:" + ip, dayEnd, RequestTokens(record, model, promptTokens, maxTokens, prompt.Choices), perDay) : null,
            Budget = p.UsdPerDay is { } usd ? new BudgetTake(ip, KeyRetention.Day, BudgetPeriod.Start(KeyRetention.Day, now), usd, WorstCaseOfPlan(record, model!, promptTokens, maxTokens, prompt.Choices)) : null,
        };
        var taken = await TakeAsync(take).ConfigureAwait(false);
        RateLimitHeaders(headers, take, taken, resetIn, dayReset);

        if ((taken.Refused & LimitParts.Requests) != 0)
        {
            headers.RetryAfter = Seconds(resetIn);
            return Refuse(RateLimited($"Rate limit reached: {p.RequestsPerMinute} requests per minute per client without an API key. The window resets in {Seconds(resetIn)} s.", "requests"));
        }

        if ((taken.Refused & LimitParts.Tokens) != 0)
        {
            headers.RetryAfter = Seconds(dayReset);
            return RefuseByTokens(RateLimited($"Daily limit reached: {p.TokensPerDay} tokens per UTC day per client without an API key.", "tokens"), tokenize);
        }

        if (!taken.Taken)
        {
            var b = take.Budget!.Value;
            return RefuseByTokens(OverBudget(headers, b.Threshold, KeyRetention.Day, now, new BudgetSnapshot(taken.BudgetSpent, taken.BudgetReserved), b.Amount, "The public per-client"), tokenize);
        }

        return new AdmissionResult(new AdmissionTicket(this, take, taken)
        {
            OutputLimit = maxTokens ?? 0,
            Choices = (int)prompt.Choices,
        }, null);
    }

    /// <summary>The <c>x-ratelimit-*</c> headers of the request and token windows <paramref name="taken"/> checked.</summary>
    private static void RateLimitHeaders(IHeaderDictionary headers, LimitTake take, LimitOutcome taken, TimeSpan requestsReset, TimeSpan tokensReset)
    {
        if (take.Requests is { } requests && (taken.Checked & LimitParts.Requests) != 0)
        {
            headers["x-ratelimit-limit-requests"] = requests.Limit.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining-requests"] = Math.Max(0, requests.Limit - taken.RequestsCount).ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset-requests"] = Duration(requestsReset);
        }

        if (take.Tokens is { } tokens && (taken.Checked & LimitParts.Tokens) != 0)
        {
            headers["x-ratelimit-limit-tokens"] = tokens.Limit.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining-tokens"] = Math.Max(0, tokens.Limit - taken.TokensCount).ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset-tokens"] = Duration(tokensReset);
        }
    }

    /// <summary>
    /// Takes <paramref name="take"/>. A shared store without state for the budget (new, or lost when Redis restarted)
    /// takes nothing: the ledger says what was spent, and only then is the take made again.
    /// </summary>
    private async ValueTask<LimitOutcome> TakeAsync(LimitTake take)
    {
        var outcome = await _limits.TryTakeAsync(take).ConfigureAwait(false);
        for (var attempt = 0; outcome.BudgetUnknown; attempt++)
        {
            var b = take.Budget!.Value;
            if (attempt == 3)
            {
                throw new SharedStateUnavailableException($"The budget {b.Id} could not be set up in the shared store.");
            }

            var spent = await LedgerSpentAsync(b.Id, b.PeriodStart).ConfigureAwait(false);
            await _budgets.SeedAsync(b.Id, b.Retention, b.PeriodStart, spent).ConfigureAwait(false);
            outcome = await _limits.TryTakeAsync(take).ConfigureAwait(false);
        }

        return outcome;
    }

    /// <summary>
    /// The most the request can cost on any deployment its plan may reach (a fallback to a dearer model included), so
    /// no attempt can spend past the reservation; unpriced deployments are never tried on a budget.
    /// </summary>
    private static decimal WorstCaseOfPlan(RequestRecord record, ModelEntry model, long promptTokens, long? maxTokens, long choices)
    {
        var worst = record.WorstCase?.Invoke(model) ?? WorstCase(model, promptTokens, OutputBound(record, model, maxTokens, choices), record.Tier);
        if (record.Plan is not { IsSingle: false } plan)
        {
            return worst;
        }

        foreach (var group in plan.Groups.Concat(plan.ContextFallbacks))
        {
            foreach (var deployment in group.Deployments)
            {
                if (deployment.Model is { } other && !ReferenceEquals(other, model))
                {
                    worst = Math.Max(worst, record.WorstCase?.Invoke(other) ?? WorstCase(other, promptTokens, OutputBound(record, other, maxTokens, choices), record.Tier));
                }
            }
        }

        return worst;
    }

    private static long OutputBound(RequestRecord record, ModelEntry? model, long? maxTokens, long choices = 1) =>
        record.Endpoint is "embeddings" or "embed_content" or "batch_embed_contents" ? 0 : Math.Max(1, choices) * (maxTokens ?? model?.MaxOutput ?? DefaultMaxOutputTokens);

    /// <summary>Prompt tokens with the margin for providers that count differently (see <see cref="WorstCase"/>).</summary>
    internal static long WithMargin(long promptTokens) => promptTokens + (promptTokens / 4) + 16;

    /// <summary>
    /// What a request takes of a token window (TPM, public tokens per day) at admission: its worst case, the prompt
    /// with its margin plus the output bound, so concurrent requests cannot together pass the limit; settlement
    /// corrects it to the provider's reported total.
    /// </summary>
    internal static long RequestTokens(RequestRecord record, ModelEntry? model, long promptTokens, long? maxTokens, long choices = 1) =>
        WithMargin(promptTokens) + OutputBound(record, model, maxTokens, choices);

    /// <summary>
    /// The bound of the prompt's input tokens (<see cref="TokenEstimator.BoundPrompt"/>) on the dearest model of the
    /// plan for images, with the definitions (tools, functions, a response schema) counted with their property names.
    /// </summary>
    private static long PromptTokens(RequestRecord record, PromptSource prompt, bool tokenize)
    {
        var bound = TokenEstimator.BoundPrompt(prompt.Prompt.Span, tokenize: tokenize);
        if (prompt.Definitions is { } definitions)
        {
            foreach (var part in definitions)
            {
                bound += TokenEstimator.BoundPrompt(part.Span, names: true, tokenize: tokenize);
            }
        }

        var tokens = bound.On(record.Route?.ModelId ?? "");
        if (bound.Images > 0 && record.Plan is { IsSingle: false } plan)
        {
            foreach (var group in plan.Groups.Concat(plan.ContextFallbacks))
            {
                foreach (var deployment in group.Deployments)
                {
                    tokens = Math.Max(tokens, bound.On(deployment.ModelId));
                }
            }
        }

        return tokens;
    }

    /// <summary>
    /// Whether the request's key may use <paramref name="deployment"/>: its allowed_models, and for a budget, a price.
    /// Admission checked the first deployment; routing asks this of every other before trying it.
    /// </summary>
    public bool Allows(RequestRecord record, Routing.Route deployment)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(deployment);
        if (record.Key?.Virtual is { } key)
        {
            return CheckScopeAndModel(record, key, deployment.ModelId) is null && (key.Threshold is null || deployment.Model is not null);
        }

        if (record.Key is { IsPublic: true })
        {
            var p = _options.Public;
            return ModelGlob.AnyMatch(p.Models, deployment.ModelId, record.RequestedModel) && (p.UsdPerDay is null || deployment.Model is not null);
        }

        return true;
    }

    /// <summary>The most a request can cost: reserved prompt tokens at the dearest input rate plus the output bound.</summary>
    /// <remarks>
    /// The bound of every split of the tokens among their kinds (reasoning, audio, image output can be dearer than
    /// text; cache writes dearer than input), at the standard tier and at the tier the request asked for, whichever is
    /// dearer: a client's <c>service_tier: "priority"</c> cannot settle above its reservation.
    /// </remarks>
    internal static decimal WorstCase(ModelEntry model, long promptTokens, long outputTokens, ServiceTier tier = ServiceTier.Standard)
    {
        var prompt = WithMargin(promptTokens);
        var plain = CostCalculator.Calculate(model, new TokenUsage { InputTokens = prompt, OutputTokens = outputTokens }).Total;
        var write5m = CostCalculator.Calculate(model, new TokenUsage { CacheWrite5mTokens = prompt, OutputTokens = outputTokens }).Total;
        var write1h = CostCalculator.Calculate(model, new TokenUsage { CacheWrite1hTokens = prompt, OutputTokens = outputTokens }).Total;
        var bound = CostCalculator.UpperBound(model, prompt, outputTokens);
        if (tier != ServiceTier.Standard)
        {
            bound = Math.Max(bound, CostCalculator.UpperBound(model, prompt, outputTokens, tier));
        }

        return Math.Max(Math.Max(plain, bound), Math.Max(write5m, write1h));
    }

    /// <summary>
    /// A 400, not a 403: the key is fine, the model lacks a price (clients such as Claude Code read a 403 as a failed
    /// sign-in). The message says how to fix it.
    /// </summary>
    private static ApiError Unpriced(string modelId, string limit) =>
        ApiError.BadRequest(
            $"The model '{modelId}' has no price, so {limit} could not be enforced on it. Give it prices in tollgate.json (a models group with its deployment and prices, docs/ROUTING.md), or use a priced model or a key without a budget.",
            "model",
            "model_unpriced");

    /// <summary>
    /// A spent budget does not come back in seconds, so the refusal carries <c>x-should-retry: false</c>, which the
    /// official OpenAI and Anthropic SDKs (and Claude Code) honour instead of retrying a 429 with backoff.
    /// </summary>
    private static ApiError OverBudget(IHeaderDictionary headers, decimal threshold, string retention, DateTimeOffset now, BudgetSnapshot snapshot, decimal worst, string whose)
    {
        headers["x-should-retry"] = "false";
        var end = BudgetPeriod.End(retention, now);
        var period = retention switch
        {
            KeyRetention.Day => "per UTC day",
            KeyRetention.Week => "per UTC week (from Monday)",
            KeyRetention.Month => "per UTC month",
            _ => "in total (no_reset)",
        };
        var resets = end is { } e
            ? $"It resets at {e.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}."
            : "It does not reset; raise limit.threshold to continue.";
        return new ApiError(
            StatusCodes.Status429TooManyRequests,
            $"{whose} budget of ${Money.Normalize(threshold).ToString(CultureInfo.InvariantCulture)} {period} does not cover this request: ${Money.Normalize(snapshot.Spent).ToString(CultureInfo.InvariantCulture)} spent, ${Money.Normalize(snapshot.Reserved).ToString(CultureInfo.InvariantCulture)} reserved by requests in flight, and this request may cost up to ${Money.Normalize(decimal.Round(worst, 8)).ToString(CultureInfo.InvariantCulture)}. {resets}",
            "insufficient_quota",
            null,
            "insufficient_quota");
    }

    private static ApiError RateLimited(string message, string type) =>
        new(StatusCodes.Status429TooManyRequests, message, type, null, "rate_limit_exceeded");

    private static AdmissionResult Refuse(ApiError error) => new(null, error);

    // Refused by a token bound; worth a second pass only when the prompt was bounded by bytes in this one.
    private static AdmissionResult RefuseByTokens(ApiError error, bool tokenized) => new(null, error, ByTokens: !tokenized);

    private static string Scope(string endpoint) => endpoint switch
    {
        "chat" => "model:chat",
        "embeddings" => "model:embedding",
        // Counting a Messages prompt is part of the Messages API.
        "messages" or "count_tokens" => "model:messages",
        "responses" or "responses_input_tokens" => "model:responses",
        // Gemini's native API: generating (and counting) is chat, embedding is embedding.
        "generate_content" or "gemini_count_tokens" => "model:chat",
        "embed_content" or "batch_embed_contents" => "model:embedding",
        "images" => "model:image",
        "speech" or "transcriptions" or "translations" => "model:audio",
        "moderations" => "model:moderation",
        _ => "model:" + endpoint,
    };

    private static string Seconds(TimeSpan t) => Math.Max(1, (long)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan t) => Math.Max(0, Math.Round(t.TotalSeconds, 3)).ToString(CultureInfo.InvariantCulture) + "s";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Limits unavailable: {Reason}")]
    private static partial void LogLimitsUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not load the spend of key {Prefix} from the ledger")]
    private static partial void LogSeedFailed(ILogger logger, string prefix, Exception ex);
}
