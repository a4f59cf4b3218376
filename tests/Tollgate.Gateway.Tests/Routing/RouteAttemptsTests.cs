using Microsoft.Extensions.Time.Testing;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Resilience;
using Tollgate.Gateway.Routing;

namespace Tollgate.Gateway.Tests.Routing;

public sealed class RouteAttemptsTests
{
    private static readonly RoutingRequest Request = new(1_000, 200);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private Router Router(int retries = 2, int failures = 3) => new(
        new RoutingOptions { Retries = retries, Breaker = new BreakerOptions { Failures = failures, Open = TimeSpan.FromSeconds(30) } },
        _time,
        new Random(1));

    private static RouteGroup Group(string name, params Route[] deployments) => new(name, RoutingStrategyKind.Priority, deployments);

    private static RoutePlan Plan(RouteGroup[] groups, RouteGroup[]? context = null) => new(groups[0].Name, groups, context ?? []);

    private RouteAttempts Start(Router router, RoutePlan plan, double seconds = 60) => router.Start(plan, Request, _time.GetUtcNow().AddSeconds(seconds));

    private static RouteAttempt Next(RouteAttempts attempts)
    {
        Assert.True(attempts.TryNext(out var attempt));
        return attempt;
    }

    [Fact]
    public void TryNext_FirstFailsRetryably_SecondDeploymentOfTheGroup()
    {
        var a = Deployments.Make("a");
        var b = Deployments.Make("b");
        var attempts = Start(Router(), Plan([Group("g", a, b)]));

        Assert.Equal(a, Next(attempts).Deployment);
        Assert.Equal(RetryAction.TryOther, attempts.Failed(AttemptFailure.FromStatus(503)).Action);
        var second = Next(attempts);
        attempts.Succeeded();

        Assert.Equal(new RouteAttempt(b, TimeSpan.Zero, 2, second.Group), second);
        Assert.False(attempts.TryNext(out _));
        Assert.Equal(RoutingEndKind.Succeeded, attempts.End.Kind);
        Assert.Equal(2, attempts.Count);
    }

    [Fact]
    public void Failed_BadRequest_PassedOnWithoutAnotherAttempt()
    {
        var attempts = Start(Router(), Plan([Group("g", Deployments.Make("a"), Deployments.Make("b"))], [Group("long", Deployments.Make("c"))]));
        Next(attempts);

        Assert.Equal(RetryAction.PassOn, attempts.Failed(AttemptFailure.FromStatus(400)).Action);
        Assert.False(attempts.TryNext(out _));
        Assert.Equal(RoutingEndKind.PassedOn, attempts.End.Kind);
    }

    [Fact]
    public void Failed_ContextLength_GoesToContextFallbacks()
    {
        var c = Deployments.Make("c");
        var attempts = Start(Router(), Plan([Group("g", Deployments.Make("a"), Deployments.Make("b")), Group("smart", Deployments.Make("s"))], [Group("long", c)]));
        Next(attempts);

        Assert.Equal(RetryAction.ContextFallback, attempts.Failed(AttemptFailure.FromStatus(400, contextLengthExceeded: true)).Action);
        var next = Next(attempts);

        Assert.Equal(c, next.Deployment);
        Assert.Equal("long", next.Group.Name);
    }

    [Fact]
    public void TryNext_GroupExhausted_FallbackGroupsInOrderEachWithItsRetries()
    {
        var attempts = Start(Router(retries: 2), Plan([Group("g", Deployments.Make("a"), Deployments.Make("b")), Group("f1", Deployments.Make("c")), Group("f2", Deployments.Make("d"))]));
        var tried = new List<(string Id, TimeSpan Delay, string Group)>();

        while (attempts.TryNext(out var attempt))
        {
            tried.Add((attempt.Deployment.Upstream.Id, attempt.Delay, attempt.Group.Name));
            attempts.Failed(AttemptFailure.Connect);
        }

        // Per group: the first attempt, then 2 retries: on the other deployment at once, else the same after a backoff.
        Assert.Equal(["a", "b", "b", "c", "c", "c", "d", "d", "d"], tried.Select(t => t.Id));
        Assert.Equal(["g", "g", "g", "f1", "f1", "f1", "f2", "f2", "f2"], tried.Select(t => t.Group));
        Assert.Equal(TimeSpan.Zero, tried[1].Delay);
        Assert.Equal(TimeSpan.Zero, tried[3].Delay);
        Assert.InRange(tried[4].Delay, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        Assert.InRange(tried[5].Delay, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
        Assert.Equal(RoutingEndKind.GaveUp, attempts.End.Kind);
        Assert.Equal(9, attempts.Count);
    }

    [Fact]
    public void TryNext_RetriesUsedUp_LeavesTheRestOfTheGroup()
    {
        var group = Group("g", Deployments.Make("a"), Deployments.Make("b"), Deployments.Make("c"), Deployments.Make("d"));
        var attempts = Start(Router(retries: 1), Plan([group, Group("f", Deployments.Make("e"))]));
        var ids = new List<string>();

        while (attempts.TryNext(out var attempt))
        {
            ids.Add(attempt.Deployment.Upstream.Id);
            attempts.Failed(AttemptFailure.FromStatus(500));
        }

        Assert.Equal(["a", "b", "e", "e"], ids);
    }

    [Fact]
    public void Failed_RetryAfterOnTheOnlyDeployment_WaitsThenRetriesIt()
    {
        var router = Router();
        var a = Deployments.Make("a");
        var attempts = Start(router, Plan([Group("g", a)]));
        Next(attempts);

        var decision = attempts.Failed(AttemptFailure.FromStatus(429, TimeSpan.FromSeconds(2)));
        var again = Next(attempts);

        Assert.Equal(new RetryDecision(RetryAction.RetrySame, TimeSpan.FromSeconds(2)), decision);
        Assert.Equal(new RouteAttempt(a, TimeSpan.FromSeconds(2), 2, again.Group), again);
        // Other requests meanwhile pass the deployment over.
        Assert.True(router.Selector.Order(Group("g", a), Request).NoneAvailable);
    }

    [Fact]
    public void Failed_RetryAfterPastDeadline_GivesUp()
    {
        var attempts = Start(Router(), Plan([Group("g", Deployments.Make("a"))]), seconds: 5);
        Next(attempts);

        Assert.Equal(RetryAction.GiveUp, attempts.Failed(AttemptFailure.FromStatus(429, TimeSpan.FromSeconds(30))).Action);
        Assert.False(attempts.TryNext(out _));
        Assert.Equal(RoutingEndKind.GaveUp, attempts.End.Kind);
    }

    [Fact]
    public void TryNext_DeploymentFailedInOneGroup_NotTriedAgainInAFallback()
    {
        var a = Deployments.Make("a");
        var b = Deployments.Make("b");
        var attempts = Start(Router(retries: 0), Plan([Group("g", a), Group("f", a, b)]));
        Next(attempts);
        attempts.Failed(AttemptFailure.Timeout);

        Assert.Equal(b, Next(attempts).Deployment);
    }

    [Fact]
    public async Task TryNext_EveryQuotaUsed_NoneAvailableWithQuotaReason()
    {
        var router = Router();
        var d = Deployments.Make("groq-free", limits: new ProviderLimits { RequestsPerDay = 1 });
        Assert.NotNull(await router.Quotas.TryReserveAsync(d, 1));

        var attempts = Start(router, Plan([Group("g", d)]));

        Assert.False(attempts.TryNext(out _));
        Assert.Equal(new RoutingEnd(RoutingEndKind.NoneAvailable, true, new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero)), attempts.End);
        Assert.Equal(0, attempts.Count);
    }

    [Fact]
    public async Task TryNext_BreakerOpenedByEarlierRequests_SkippedThenProbedAfterOpenS()
    {
        var router = Router(failures: 3);
        var a = Deployments.Make("a");
        var b = Deployments.Make("b");
        var plan = Plan([Group("g", a, b)]);
        await Deployments.FailAsync(router.Breakers, a, 3);

        Assert.Equal(b, Next(Start(router, plan)).Deployment);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(a, Next(Start(router, plan)).Deployment);
    }

    [Fact]
    public async Task NotRun_CircuitOpenedMeanwhile_NotCountedAndMovesOn()
    {
        var router = Router(failures: 2);
        var a = Deployments.Make("a");
        var b = Deployments.Make("b");
        var attempts = Start(router, Plan([Group("g", a, b)]));
        Assert.Equal(a, Next(attempts).Deployment);
        await Deployments.FailAsync(router.Breakers, a, 2);

        var call = await router.Breakers.ExecuteAsync(a, _ => ValueTask.FromResult(200), static s => s >= 500, CancellationToken.None);
        Assert.True(call.Rejected);
        attempts.NotRun();

        Assert.Equal(0, attempts.Count);
        var next = Next(attempts);
        Assert.Equal(b, next.Deployment);
        Assert.Equal(1, next.Number);
    }

    [Fact]
    public async Task TryNext_LoopWithSends_EveryRequestSucceedsThroughTheHealthyDeployment()
    {
        var router = Router(failures: 3);
        var broken = Deployments.Make("broken");
        var healthy = Deployments.Make("healthy");
        var plan = Plan([new RouteGroup("g", RoutingStrategyKind.Weighted, [broken, healthy])]);
        var brokenSends = 0;

        for (var request = 0; request < 50; request++)
        {
            var attempts = Start(router, plan);
            while (attempts.TryNext(out var attempt))
            {
                var status = attempt.Deployment == broken ? 503 : 200;
                brokenSends += status == 503 ? 1 : 0;
                var call = await router.Breakers.ExecuteAsync(attempt.Deployment, _ => ValueTask.FromResult(status), static s => s >= 500, CancellationToken.None);
                if (call.Rejected)
                {
                    attempts.NotRun();
                }
                else if (call.Result == 200)
                {
                    attempts.Succeeded();
                }
                else
                {
                    attempts.Failed(AttemptFailure.FromStatus(call.Result));
                }
            }

            Assert.Equal(RoutingEndKind.Succeeded, attempts.End.Kind);
        }

        // The breaker opened after three failures: the broken deployment saw no more traffic within open_s.
        Assert.Equal(3, brokenSends);
    }
}
