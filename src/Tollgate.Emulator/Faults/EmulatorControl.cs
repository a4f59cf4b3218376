using System.Globalization;
using System.Text.Json;
using Tollgate.Emulator.Engine;
using Tollgate.Emulator.Faults;

namespace Tollgate.Emulator;

/// <summary>
/// The run-time state of one emulator instance: its fault rule and its request counters. Every handler and endpoint
/// built from the same <see cref="EmulatorOptions"/> shares it (<see cref="EmulatorOptions.Control"/>), and
/// <c>/_emulator/faults</c> and <c>/_emulator/requests</c> read and change it over HTTP. Thread-safe.
/// </summary>
public sealed class EmulatorControl
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly long[] _counts = new long[EndpointNames.All.Count];
    private long _faulted;
    private ActiveRule? _active;

    internal EmulatorControl(EmulatorFaultRule? faults, TimeProvider time)
    {
        _time = time;
        SetFaults(faults);
    }

    /// <summary>The fault rule in force, or null when the instance is healthy.</summary>
    public EmulatorFaultRule? Faults => Volatile.Read(ref _active)?.Compiled.Rule;

    /// <summary>How many more requests <see cref="EmulatorFaultRule.FailNext"/> will hit; null without a rule or a <c>fail_next</c>.</summary>
    public int? FailNextRemaining
    {
        get
        {
            lock (_lock)
            {
                return _active is { Compiled.Rule.FailNext: not null } active ? active.FailNextRemaining : null;
            }
        }
    }

    /// <summary>Requests left in the current quota window; null without a quota.</summary>
    public int? QuotaRemaining
    {
        get
        {
            lock (_lock)
            {
                if (_active is not { Compiled.Rule.QuotaRequests: { } limit } active)
                {
                    return null;
                }

                return active.WindowStart is { } start && _time.GetUtcNow() < start + active.Window ? limit - active.QuotaUsed : limit;
            }
        }
    }

    /// <summary>Requests that reached the instance, every endpoint together (the control endpoints are not counted).</summary>
    public long TotalRequests
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                total += Interlocked.Read(ref _counts[i]);
            }

            return total;
        }
    }

    /// <summary>Requests the fault rule hit: answered with its knobs, or refused because the quota was used up.</summary>
    public long FaultedRequests => Interlocked.Read(ref _faulted);

    /// <summary>Requests that reached one endpoint, by its name (<see cref="EmulatorFaultRule.EndpointNames"/>).</summary>
    /// <exception cref="ArgumentException">No endpoint has that name.</exception>
    public long RequestCount(string endpoint)
    {
        var slot = EndpointNames.Slot(endpoint);
        return slot < 0
            ? throw new ArgumentException($"Unknown endpoint '{endpoint}': expected one of {string.Join(", ", EndpointNames.All)}.", nameof(endpoint))
            : Interlocked.Read(ref _counts[slot]);
    }

    /// <summary>Replaces the fault rule (null clears it). The <c>fail_next</c> count, random sequence and quota window start afresh.</summary>
    /// <exception cref="ArgumentException">The rule is invalid; the message names the field.</exception>
    public void SetFaults(EmulatorFaultRule? rule)
    {
        ActiveRule? active = null;
        if (rule is not null)
        {
            var compiled = CompiledFaultRule.Compile(rule, out var error)
                ?? throw new ArgumentException(error!.Message, error.Param ?? nameof(rule));
            active = new ActiveRule(compiled);
        }

        lock (_lock)
        {
            Volatile.Write(ref _active, active);
        }
    }

    /// <summary>Clears the fault rule: the instance is healthy again.</summary>
    public void ClearFaults() => SetFaults(null);

    /// <summary>Sets every request counter, and <see cref="FaultedRequests"/>, back to zero.</summary>
    public void ResetRequestCounts()
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            Interlocked.Exchange(ref _counts[i], 0);
        }

        Interlocked.Exchange(ref _faulted, 0);
    }

    /// <summary>Counts a request and decides whether the fault rule hits it.</summary>
    internal FaultDecision Admit(EmulatorOperation operation)
    {
        var slot = EndpointNames.Slot(operation);
        if (slot < 0)
        {
            return FaultDecision.None;
        }

        Interlocked.Increment(ref _counts[slot]);

        // No rule, the usual case (benchmarks included): no lock taken.
        if (Volatile.Read(ref _active) is null)
        {
            return FaultDecision.None;
        }

        lock (_lock)
        {
            if (_active is not { } active || !active.Compiled.AppliesTo(slot))
            {
                return FaultDecision.None;
            }

            QuotaSnapshot? quota = null;
            if (active.Compiled.Rule.QuotaRequests is { } limit)
            {
                var now = _time.GetUtcNow();
                if (active.WindowStart is not { } start || now >= start + active.Window)
                {
                    active.WindowStart = now;
                    active.QuotaUsed = 0;
                }

                var reset = (int)Math.Max(1, Math.Ceiling((active.WindowStart.Value + active.Window - now).TotalSeconds));
                if (active.QuotaUsed >= limit)
                {
                    // Used up: refused as the provider refuses, until the window resets; the refusal takes nothing.
                    Interlocked.Increment(ref _faulted);
                    return new FaultDecision(
                        [new("status", "200"), new("fault", "rate_limit"), new("retry_after", reset.ToString(CultureInfo.InvariantCulture))],
                        new QuotaSnapshot(limit, 0, reset));
                }

                active.QuotaUsed++;
                quota = new QuotaSnapshot(limit, limit - active.QuotaUsed, reset);
            }

            if (active.Compiled.Pairs.Count == 0 || !active.Hits())
            {
                return quota is null ? FaultDecision.None : new FaultDecision([], quota);
            }

            Interlocked.Increment(ref _faulted);
            return new FaultDecision(active.Compiled.Pairs, quota);
        }
    }

    /// <summary><c>{"faults": rule or null, "fail_next_remaining": n or null, "quota_remaining": n or null}</c>.</summary>
    internal void WriteFaults(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WritePropertyName("faults");
        if (Faults is { } rule)
        {
            rule.WriteTo(w);
        }
        else
        {
            w.WriteNullValue();
        }

        WriteNumberOrNull(w, "fail_next_remaining", FailNextRemaining);
        WriteNumberOrNull(w, "quota_remaining", QuotaRemaining);
        w.WriteEndObject();
    }

    /// <summary><c>{"total": n, "faulted": n, "endpoints": {"chat_completions": n, ...}}</c>, every endpoint listed.</summary>
    internal void WriteRequests(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("total", TotalRequests);
        w.WriteNumber("faulted", FaultedRequests);
        w.WriteStartObject("endpoints");
        for (var i = 0; i < _counts.Length; i++)
        {
            w.WriteNumber(EndpointNames.All[i], Interlocked.Read(ref _counts[i]));
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } n)
        {
            w.WriteNumber(name, n);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>A rule with its counters; changed only under the control's lock.</summary>
    private sealed class ActiveRule(CompiledFaultRule compiled)
    {
        private readonly Random? _random = compiled.Rule.FailRate is null ? null
            : compiled.Rule.Seed is { } seed ? new Random(seed) : new Random();

        public CompiledFaultRule Compiled { get; } = compiled;

        public int FailNextRemaining { get; private set; } = compiled.Rule.FailNext ?? 0;

        public TimeSpan Window { get; } = TimeSpan.FromSeconds(compiled.Rule.QuotaWindowSeconds);

        public DateTimeOffset? WindowStart { get; set; }

        public int QuotaUsed { get; set; }

        /// <summary>fail_next first, then fail_rate; a rule with neither hits every request.</summary>
        public bool Hits()
        {
            if (!Compiled.Selective)
            {
                return true;
            }

            if (FailNextRemaining > 0)
            {
                FailNextRemaining--;
                return true;
            }

            return _random is not null && _random.NextDouble() < Compiled.Rule.FailRate;
        }
    }
}
