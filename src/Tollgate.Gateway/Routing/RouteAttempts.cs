using Tollgate.Gateway.Resilience;

namespace Tollgate.Gateway.Routing;

/// <summary>
/// The attempts of one request over its <see cref="RoutePlan"/>, for the pipeline's retry loop: <see cref="TryNext"/>
/// hands out the next deployment (and a delay), <see cref="Failed"/> reports how it failed and returns the
/// <see cref="RetryPolicy"/>'s decision, which the next <see cref="TryNext"/> follows. Groups are walked in plan
/// order, each ordered by its strategy when reached; a deployment that failed is not tried again in another group
/// (only by <see cref="RetryAction.RetrySame"/>). Not thread-safe: one request, one loop.
/// </summary>
internal sealed class RouteAttempts
{
    private readonly Router _router;
    private readonly RoutePlan _plan;
    private readonly RoutingRequest _request;
    private readonly DateTimeOffset _deadline;
    private RouteGroup[] _groups;
    private int _groupIndex;
    private IReadOnlyList<Route>? _order;
    private int _position;
    private int _retriesInGroup;
    private bool _inContextFallbacks;
    private HashSet<string>? _tried;
    private RouteAttempt? _pending;
    private RouteAttempt? _last;
    private int _quotaSkipped;
    private int _openSkipped;
    private DateTimeOffset? _availableAt;

    internal RouteAttempts(Router router, RoutePlan plan, in RoutingRequest request, DateTimeOffset deadline)
    {
        _router = router;
        _plan = plan;
        _request = request;
        _deadline = deadline;
        _groups = plan.GroupArray;
    }

    /// <summary>
    /// True when the plan is one deployment with no quota of its own configured: a breaker or a provider's
    /// <c>Retry-After</c> then orders nothing and saves nothing, so the deployment is never passed over (it is still
    /// retried by the policy). With <c>limits</c> configured the gateway keeps them, alone or not.
    /// </summary>
    public bool IsLastResort => _plan.IsSingle && _plan.Primary.Upstream.Settings.Limits is null;

    /// <summary>Sends made so far (an attempt the breaker refused, see <see cref="NotRun"/>, is not one).</summary>
    public int Count { get; private set; }

    /// <summary>Set once no attempt follows.</summary>
    public RoutingEnd End { get; private set; }

    /// <summary>The next attempt, or false when none follows (see <see cref="End"/>).</summary>
    public bool TryNext(out RouteAttempt attempt)
    {
        attempt = default;
        if (End.Kind != RoutingEndKind.InProgress)
        {
            return false;
        }

        if (_pending is { } pending)
        {
            _pending = null;
            attempt = pending with { Number = ++Count };
            _last = attempt;
            return true;
        }

        while (true)
        {
            if (_order is null)
            {
                if (_groupIndex >= _groups.Length)
                {
                    End = Count == 0
                        ? new RoutingEnd(RoutingEndKind.NoneAvailable, _openSkipped == 0 && _quotaSkipped > 0, _availableAt)
                        : new RoutingEnd(RoutingEndKind.GaveUp);
                    return false;
                }

                var order = _router.Selector.Order(_groups[_groupIndex], _request);
                _position = 0;
                if (order.Deployments.Count == 0 && IsLastResort)
                {
                    // Nothing to fall back to: the provider decides, as it would without the gateway.
                    _order = _groups[_groupIndex].Deployments;
                }
                else
                {
                    Note(order.QuotaExhausted, order.CircuitOpen, order.AvailableAt);
                    _order = order.Deployments;
                }
            }

            while (_position < _order.Count)
            {
                var d = _order[_position++];
                if (_tried is not null && _tried.Contains(d.DeploymentId))
                {
                    continue;
                }

                // The order was made when the group was reached; later picks look again at breakers and quotas.
                if (_position > 1 && !_router.Selector.IsAvailable(d, _request))
                {
                    continue;
                }

                attempt = new RouteAttempt(d, TimeSpan.Zero, ++Count, _groups[_groupIndex]);
                _last = attempt;
                return true;
            }

            NextGroup();
        }
    }

    /// <summary>
    /// Reports that the last attempt failed, and decides what follows. A <c>Retry-After</c> in
    /// <paramref name="failure"/> also blocks the deployment for later requests.
    /// </summary>
    public RetryDecision Failed(in AttemptFailure failure)
    {
        var last = _last ?? throw new InvalidOperationException("No attempt was made.");
        var d = last.Deployment;
        (_tried ??= new HashSet<string>(StringComparer.Ordinal)).Add(d.DeploymentId);
        var now = _router.Time.GetUtcNow();
        if (failure.RetryAfter is { } retryAfter)
        {
            _router.Quotas.BlockUntil(d, now + retryAfter);
        }

        var state = new RetryState(
            _retriesInGroup,
            OtherAvailable(),
            SameDeploymentWait(d, now),
            _groupIndex + 1 < _groups.Length,
            !_inContextFallbacks && _plan.ContextFallbackArray.Length > 0,
            _deadline - now);
        var decision = _router.Retry.Decide(failure, state, _router.Random);
        switch (decision.Action)
        {
            case RetryAction.TryOther:
                _retriesInGroup++;
                break;
            case RetryAction.RetrySame:
                _retriesInGroup++;
                _pending = last with { Delay = decision.Delay };
                break;
            case RetryAction.NextGroup:
                NextGroup();
                break;
            case RetryAction.ContextFallback:
                _inContextFallbacks = true;
                _groups = _plan.ContextFallbackArray;
                _groupIndex = -1;
                NextGroup();
                break;
            case RetryAction.PassOn:
                End = new RoutingEnd(RoutingEndKind.PassedOn);
                break;
            default:
                End = new RoutingEnd(RoutingEndKind.GaveUp);
                break;
        }

        return decision;
    }

    /// <summary>
    /// Reports that the last attempt was not sent: it did not count. The breaker refused it (its circuit opened
    /// meanwhile), or, when <paramref name="quotaFull"/>, its provider's quota had no room left.
    /// </summary>
    public void NotRun(bool quotaFull = false)
    {
        var d = (_last ?? throw new InvalidOperationException("No attempt was made.")).Deployment;
        (_tried ??= new HashSet<string>(StringComparer.Ordinal)).Add(d.DeploymentId);
        Count--;
        if (quotaFull)
        {
            Note(1, 0, _router.Quotas.Check(d, _request.EstimatedTokens).RoomAt);
        }
        else
        {
            Note(0, 1, _router.Breakers.OpenUntil(d));
        }
    }

    /// <summary>Reports that the last attempt succeeded.</summary>
    public void Succeeded() => End = new RoutingEnd(RoutingEndKind.Succeeded);

    private void NextGroup()
    {
        _groupIndex++;
        _order = null;
        _retriesInGroup = 0;
    }

    private bool OtherAvailable()
    {
        if (_order is null)
        {
            return false;
        }

        for (var i = _position; i < _order.Count; i++)
        {
            var d = _order[i];
            if (!_tried!.Contains(d.DeploymentId) && _router.Selector.IsAvailable(d, _request))
            {
                return true;
            }
        }

        return false;
    }

    private TimeSpan? SameDeploymentWait(Route d, DateTimeOffset now)
    {
        if (_router.Breakers.IsOpen(d))
        {
            return null;
        }

        var check = _router.Quotas.Check(d, _request.EstimatedTokens);
        return check.HasRoom || check.RoomAt is not { } at ? TimeSpan.Zero : at - now;
    }

    private void Note(int quota, int open, DateTimeOffset? availableAt)
    {
        _quotaSkipped += quota;
        _openSkipped += open;
        if (availableAt is { } at && (_availableAt is null || at < _availableAt))
        {
            _availableAt = at;
        }
    }
}
