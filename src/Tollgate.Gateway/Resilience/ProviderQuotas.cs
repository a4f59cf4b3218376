using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Routing;
using Tollgate.Storage;
using Tollgate.Storage.Quotas;

namespace Tollgate.Gateway.Resilience;

/// <summary>
/// Provider quotas. Two sources, both consulted by <see cref="Check"/>:
/// <list type="bullet">
/// <item>the configured <see cref="ProviderLimits"/> of each provider (one provider entry is one credential), counted
/// by the gateway in fixed windows, the UTC minute and the UTC day: a request counts at <see cref="Reserve"/> with its
/// estimated tokens, corrected to the actual tokens at <see cref="Settle"/>;</item>
/// <item>what the provider reports per deployment in its headers (<see cref="Observe(Route, Func{string, string?})"/>):
/// requests and tokens remaining until a reset (providers limit per model, so this is kept per deployment), and
/// <c>Retry-After</c>, which blocks the deployment until then.</item>
/// </list>
/// With a shared <see cref="IQuotaStore"/> (Redis), <see cref="TryReserveAsync"/> counts the configured limits there,
/// in one atomic step for all instances; the local counters then hold the shared counts last seen, so that
/// <see cref="Check"/> (which routing calls synchronously) passes over a provider another instance has filled. While the
/// store cannot be reached, each instance counts alone again. Provider reports stay per instance.
/// Thread-safe: a lock per provider and per deployment, held for a few arithmetic operations.
/// </summary>
internal sealed class ProviderQuotas(TimeProvider time, IQuotaStore? shared = null)
{
    // Without a reset time a reported remaining count is trusted for a minute, the usual window of such headers.
    private static readonly TimeSpan DefaultReportLife = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Counters> _counters = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Reported> _reported = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="deployment"/> has room for a request of about <paramref name="estimatedTokens"/> tokens now.</summary>
    public QuotaCheck Check(Route deployment, long estimatedTokens)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var now = time.GetUtcNow();
        var check = QuotaCheck.Room;
        if (_reported.TryGetValue(deployment.DeploymentId, out var reported))
        {
            check = reported.Check(now, estimatedTokens);
        }

        if (CountersFor(deployment) is { } counters)
        {
            check = Later(check, counters.Check(now, estimatedTokens));
        }

        return check;
    }

    /// <summary>True when <see cref="Check"/> finds room.</summary>
    public bool HasRoom(Route deployment, long estimatedTokens) => Check(deployment, estimatedTokens).HasRoom;

    /// <summary>
    /// Counts a request about to be sent if its provider's configured limits have room for it, the check and the count
    /// one atomic step (across instances with a shared store); null when they have not: pass it over. What the provider
    /// reported (<see cref="Observe(Route, Func{string, string?})"/>) is left to <see cref="Check"/>, as a deployment
    /// that is the last resort is sent to whatever it reported.
    /// </summary>
    public async ValueTask<QuotaReservation?> TryReserveAsync(Route deployment, long estimatedTokens)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var now = time.GetUtcNow();
        var tokens = Math.Max(0, estimatedTokens);
        var counters = CountersFor(deployment);
        long minute = Minute(now), day = Day(now);
        var isShared = false;
        if (counters is not null)
        {
            if (shared is not null && await TrySharedAsync(counters, now, tokens).ConfigureAwait(false) is { } allowed)
            {
                if (!allowed)
                {
                    return null;
                }

                isShared = true;
            }
            else if (!counters.TryAdd(now, tokens))
            {
                return null;
            }
        }

        var reported = ReportedFor(deployment);
        var version = reported.Spend(tokens);
        return new QuotaReservation(counters, reported, tokens, minute, day, version) { Shared = isShared };
    }

    /// <summary>
    /// Corrects a reservation to the tokens the provider actually counted (0 when it failed before producing any).
    /// A window that has ended since is left as it was; a provider report that arrived since already counts the
    /// request. Settling twice does nothing.
    /// </summary>
    public void Settle(QuotaReservation reservation, long actualTokens)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (Interlocked.Exchange(ref reservation.Settled, 1) != 0)
        {
            return;
        }

        var delta = Math.Max(0, actualTokens) - reservation.EstimatedTokens;
        reservation.Counters?.Correct(reservation.Minute, reservation.Day, delta);
        reservation.Reported.Correct(reservation.ReportVersion, delta);
        if (reservation.Shared && delta != 0 && shared is not null && reservation.Counters!.TokenWindows(reservation.Minute, reservation.Day, delta) is { Count: > 0 } windows)
        {
            // Off the response path; a correction lost while Redis is away only leaves the estimate counted.
            _ = CorrectSharedAsync(shared, reservation.Counters.Provider, windows);
        }
    }

    // True or false from the shared store; null when it cannot be reached (count locally meanwhile).
    private async ValueTask<bool?> TrySharedAsync(Counters counters, DateTimeOffset now, long tokens)
    {
        var windows = counters.Windows(now, tokens);
        try
        {
            var result = await shared!.TryAddAsync(counters.Provider, windows).ConfigureAwait(false);
            counters.Seen(now, windows, result.Counts);
            return result.Allowed;
        }
        catch (SharedStateUnavailableException)
        {
            return null;
        }
    }

    private static async Task CorrectSharedAsync(IQuotaStore store, string provider, IReadOnlyList<QuotaWindow> windows)
    {
        try
        {
            await store.AddAsync(provider, windows).ConfigureAwait(false);
        }
        catch (SharedStateUnavailableException)
        {
            // The window keeps the estimate; it ends within a minute or a day.
        }
    }

    /// <summary>Takes in the rate-limit headers of a deployment's response (name to first value, null when absent).</summary>
    public void Observe(Route deployment, Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var now = time.GetUtcNow();
        var snapshot = RateLimitHeaders.Read(header, now);
        if (!snapshot.IsEmpty)
        {
            ReportedFor(deployment).Apply(snapshot, now);
        }
    }

    /// <summary>Takes in the rate-limit headers of a deployment's response.</summary>
    public void Observe(Route deployment, HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Observe(deployment, name => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null);
    }

    /// <summary>Passes the deployment over until <paramref name="until"/> (a <c>Retry-After</c> known some other way).</summary>
    public void BlockUntil(Route deployment, DateTimeOffset until) =>
        ReportedFor(deployment).Apply(new RateLimitSnapshot(null, null, null, null, until), time.GetUtcNow());

    private Counters? CountersFor(Route deployment) =>
        deployment.Upstream.Settings.Limits is { IsEmpty: false } limits
            ? _counters.GetOrAdd(deployment.Upstream.Id, static (id, l) => new Counters(id, l), limits)
            : null;

    private Reported ReportedFor(Route deployment) =>
        _reported.GetOrAdd(deployment.DeploymentId, static id => new Reported(id));

    private static QuotaCheck Later(QuotaCheck a, QuotaCheck b) =>
        a.HasRoom ? b : b.HasRoom ? a : (b.RoomAt > a.RoomAt ? b : a);

    private static long Minute(DateTimeOffset t) => t.UtcTicks / TimeSpan.TicksPerMinute;

    private static long Day(DateTimeOffset t) => t.UtcTicks / TimeSpan.TicksPerDay;

    private static DateTimeOffset StartOfMinute(long minute) => new(minute * TimeSpan.TicksPerMinute, TimeSpan.Zero);

    private static DateTimeOffset StartOfDay(long day) => new(day * TimeSpan.TicksPerDay, TimeSpan.Zero);

    /// <summary>The gateway's own count of one provider's requests and tokens in the current UTC minute and day.</summary>
    internal sealed class Counters(string provider, ProviderLimits limits)
    {
        // The names of the shared windows, day first as in Check, so the first without room is the one that matters.
        private const string Rpd = "rpd", Tpd = "tpd", Rpm = "rpm", Tpm = "tpm";

        private readonly Lock _lock = new();
        private long _minute;
        private long _day;
        private long _minuteRequests;
        private long _minuteTokens;
        private long _dayRequests;
        private long _dayTokens;

        public QuotaCheck Check(DateTimeOffset now, long tokens)
        {
            lock (_lock)
            {
                Roll(now);
                var nextMinute = StartOfMinute(_minute + 1);
                var nextDay = StartOfDay(_day + 1);
                // Past the day's limits the minute's do not matter; so the day is checked first.
                if (limits.RequestsPerDay is { } rpd && _dayRequests >= rpd)
                {
                    return new QuotaCheck(false, nextDay, $"{provider} rpd {rpd}");
                }

                // An empty window admits one request however large its estimate: the estimate is an upper bound, and
                // the provider is the judge of a request that could never fit.
                if (limits.TokensPerDay is { } tpd && _dayTokens > 0 && _dayTokens + tokens > tpd)
                {
                    return new QuotaCheck(false, nextDay, $"{provider} tpd {tpd}");
                }

                if (limits.RequestsPerMinute is { } rpm && _minuteRequests >= rpm)
                {
                    return new QuotaCheck(false, nextMinute, $"{provider} rpm {rpm}");
                }

                if (limits.TokensPerMinute is { } tpm && _minuteTokens > 0 && _minuteTokens + tokens > tpm)
                {
                    return new QuotaCheck(false, nextMinute, $"{provider} tpm {tpm}");
                }

                return QuotaCheck.Room;
            }
        }

        public string Provider => provider;

        /// <summary>Counts one request of <paramref name="tokens"/> if <see cref="Check"/> finds room, in one step.</summary>
        public bool TryAdd(DateTimeOffset now, long tokens)
        {
            lock (_lock)
            {
                if (!Check(now, tokens).HasRoom)
                {
                    return false;
                }

                Roll(now);
                _minuteRequests++;
                _dayRequests++;
                _minuteTokens += tokens;
                _dayTokens += tokens;
                return true;
            }
        }

        /// <summary>The configured limits as shared windows, each to take one request of <paramref name="tokens"/>.</summary>
        public QuotaWindow[] Windows(DateTimeOffset now, long tokens)
        {
            var minuteEnd = StartOfMinute(Minute(now) + 1).UtcTicks;
            var dayEnd = StartOfDay(Day(now) + 1).UtcTicks;
            var windows = new List<QuotaWindow>(4);
            if (limits.RequestsPerDay is { } rpd)
            {
                windows.Add(new QuotaWindow(Rpd, dayEnd, 1, rpd, false));
            }

            if (limits.TokensPerDay is { } tpd)
            {
                windows.Add(new QuotaWindow(Tpd, dayEnd, tokens, tpd, true));
            }

            if (limits.RequestsPerMinute is { } rpm)
            {
                windows.Add(new QuotaWindow(Rpm, minuteEnd, 1, rpm, false));
            }

            if (limits.TokensPerMinute is { } tpm)
            {
                windows.Add(new QuotaWindow(Tpm, minuteEnd, tokens, tpm, true));
            }

            return [.. windows];
        }

        /// <summary>The token windows of a reservation made in <paramref name="minute"/> and <paramref name="day"/>, to correct by <paramref name="delta"/>.</summary>
        public List<QuotaWindow> TokenWindows(long minute, long day, long delta)
        {
            var windows = new List<QuotaWindow>(2);
            if (limits.TokensPerDay is { } tpd)
            {
                windows.Add(new QuotaWindow(Tpd, StartOfDay(day + 1).UtcTicks, delta, tpd, true));
            }

            if (limits.TokensPerMinute is { } tpm)
            {
                windows.Add(new QuotaWindow(Tpm, StartOfMinute(minute + 1).UtcTicks, delta, tpm, true));
            }

            return windows;
        }

        /// <summary>Takes the shared counts of <paramref name="windows"/> as this instance's own, for <see cref="Check"/>.</summary>
        public void Seen(DateTimeOffset now, QuotaWindow[] windows, IReadOnlyList<long> counts)
        {
            lock (_lock)
            {
                Roll(now);
                var minuteEnd = StartOfMinute(_minute + 1).UtcTicks;
                var dayEnd = StartOfDay(_day + 1).UtcTicks;
                for (var i = 0; i < windows.Length && i < counts.Count; i++)
                {
                    var w = windows[i];
                    if (w.WindowEnd != minuteEnd && w.WindowEnd != dayEnd)
                    {
                        continue;
                    }

                    if (w.Name == Rpd)
                    {
                        _dayRequests = counts[i];
                    }
                    else if (w.Name == Tpd)
                    {
                        _dayTokens = counts[i];
                    }
                    else if (w.Name == Rpm)
                    {
                        _minuteRequests = counts[i];
                    }
                    else
                    {
                        _minuteTokens = counts[i];
                    }
                }
            }
        }

        public void Correct(long minute, long day, long tokens)
        {
            lock (_lock)
            {
                if (minute == _minute)
                {
                    _minuteTokens = Math.Max(0, _minuteTokens + tokens);
                }

                if (day == _day)
                {
                    _dayTokens = Math.Max(0, _dayTokens + tokens);
                }
            }
        }

        private void Roll(DateTimeOffset now)
        {
            var minute = Minute(now);
            if (minute != _minute)
            {
                _minute = minute;
                _minuteRequests = 0;
                _minuteTokens = 0;
            }

            var day = Day(now);
            if (day != _day)
            {
                _day = day;
                _dayRequests = 0;
                _dayTokens = 0;
            }
        }
    }

    /// <summary>What the provider last said of one deployment's limits, spent down by the requests sent since.</summary>
    internal sealed class Reported(string deployment)
    {
        private readonly Lock _lock = new();
        private long? _requests;
        private DateTimeOffset _requestsReset;
        private long? _tokens;
        private DateTimeOffset _tokensReset;
        private DateTimeOffset _blockedUntil;
        private long _version;

        public QuotaCheck Check(DateTimeOffset now, long tokens)
        {
            lock (_lock)
            {
                if (now < _blockedUntil)
                {
                    return new QuotaCheck(false, _blockedUntil, $"{deployment} retry-after");
                }

                if (_requests is { } requests && now < _requestsReset && requests <= 0)
                {
                    return new QuotaCheck(false, _requestsReset, $"{deployment} remaining requests");
                }

                if (_tokens is { } left && now < _tokensReset && (left <= 0 || left < tokens))
                {
                    return new QuotaCheck(false, _tokensReset, $"{deployment} remaining tokens");
                }

                return QuotaCheck.Room;
            }
        }

        public long Spend(long tokens)
        {
            lock (_lock)
            {
                _requests--;
                _tokens -= tokens;
                return _version;
            }
        }

        public void Correct(long version, long tokens)
        {
            lock (_lock)
            {
                if (version == _version)
                {
                    _tokens -= tokens;
                }
            }
        }

        public void Apply(RateLimitSnapshot s, DateTimeOffset now)
        {
            lock (_lock)
            {
                _version++;
                if (s.RemainingRequests is { } requests)
                {
                    _requests = requests;
                    _requestsReset = s.RequestsResetAt ?? now + DefaultReportLife;
                }

                if (s.RemainingTokens is { } tokens)
                {
                    _tokens = tokens;
                    _tokensReset = s.TokensResetAt ?? now + DefaultReportLife;
                }

                if (s.RetryAt is { } retryAt && retryAt > _blockedUntil)
                {
                    _blockedUntil = retryAt;
                }
            }
        }
    }
}
