using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Resilience;
using Tollgate.Gateway.Tests.Routing;

namespace Tollgate.Gateway.Tests.Resilience;

public sealed class CircuitBreakersTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly Gateway.Routing.Route _deployment = Deployments.Make("flaky");

    private CircuitBreakers Make(int failures = 5, double windowS = 30, double openS = 30) =>
        new(new BreakerOptions { Failures = failures, Window = TimeSpan.FromSeconds(windowS), Open = TimeSpan.FromSeconds(openS) }, _time);

    private static ValueTask<BreakerCall<int>> Send(CircuitBreakers breakers, Gateway.Routing.Route d, int status, Counter? sent = null) =>
        breakers.ExecuteAsync(d, _ =>
        {
            sent?.Add();
            return ValueTask.FromResult(status);
        }, static s => s >= 500, CancellationToken.None);

    [Fact]
    public async Task ExecuteAsync_FailuresBelowThreshold_StaysClosed()
    {
        var breakers = Make(failures: 5);
        for (var i = 0; i < 4; i++)
        {
            Assert.False((await Send(breakers, _deployment, 503)).Rejected);
        }

        Assert.False(breakers.IsOpen(_deployment));
        Assert.Equal(CircuitState.Closed, breakers.State(_deployment));
    }

    [Fact]
    public async Task ExecuteAsync_NFailuresInWindow_OpensAndRejectsWithoutSending()
    {
        var breakers = Make(failures: 5);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(503, (await Send(breakers, _deployment, 503)).Result);
        }

        Assert.True(breakers.IsOpen(_deployment));
        Assert.Equal(_time.GetUtcNow().AddSeconds(30), breakers.OpenUntil(_deployment));
        var sent = new Counter();
        var call = await Send(breakers, _deployment, 200, sent);
        Assert.True(call.Rejected);
        Assert.Equal(0, sent.Value);
    }

    [Fact]
    public async Task ExecuteAsync_FailuresSpreadOverMoreThanWindow_StaysClosed()
    {
        var breakers = Make(failures: 3, windowS: 10);
        for (var i = 0; i < 6; i++)
        {
            await Send(breakers, _deployment, 500);
            _time.Advance(TimeSpan.FromSeconds(6));
        }

        Assert.False(breakers.IsOpen(_deployment));
    }

    [Fact]
    public async Task ExecuteAsync_MostlySuccesses_StaysClosed()
    {
        var breakers = Make(failures: 4);
        for (var i = 0; i < 20; i++)
        {
            await Send(breakers, _deployment, i % 4 == 0 ? 500 : 200);
        }

        Assert.False(breakers.IsOpen(_deployment));
    }

    [Fact]
    public async Task IsOpen_AfterOpenS_HalfOpensAndSuccessfulProbeCloses()
    {
        var breakers = Make(failures: 2, openS: 30);
        await Send(breakers, _deployment, 500);
        await Send(breakers, _deployment, 500);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(breakers.IsOpen(_deployment));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(breakers.IsOpen(_deployment));
        var probe = await Send(breakers, _deployment, 200);

        Assert.False(probe.Rejected);
        Assert.Equal(CircuitState.Closed, breakers.State(_deployment));
        Assert.False(breakers.IsOpen(_deployment));
    }

    [Fact]
    public async Task ExecuteAsync_FailedProbe_OpensAgainForOpenS()
    {
        var breakers = Make(failures: 2, openS: 10);
        await Send(breakers, _deployment, 500);
        await Send(breakers, _deployment, 500);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.False((await Send(breakers, _deployment, 502)).Rejected);

        Assert.True(breakers.IsOpen(_deployment));
        Assert.Equal(_time.GetUtcNow().AddSeconds(10), breakers.OpenUntil(_deployment));
        Assert.True((await Send(breakers, _deployment, 200)).Rejected);
    }

    [Fact]
    public async Task ExecuteAsync_ProbeInFlight_OtherRequestsPassOver()
    {
        var breakers = Make(failures: 2, openS: 5);
        await Send(breakers, _deployment, 500);
        await Send(breakers, _deployment, 500);
        _time.Advance(TimeSpan.FromSeconds(5));
        var release = new TaskCompletionSource<int>();

        var probe = breakers.ExecuteAsync(_deployment, _ => new ValueTask<int>(release.Task), static s => s >= 500, CancellationToken.None);

        Assert.True(breakers.IsOpen(_deployment));
        Assert.True((await Send(breakers, _deployment, 200)).Rejected);
        release.SetResult(200);
        Assert.False((await probe).Rejected);
        Assert.False(breakers.IsOpen(_deployment));
    }

    [Fact]
    public async Task ExecuteAsync_SendThrows_CountsAsFailureAndRethrows()
    {
        var breakers = Make(failures: 2);
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => breakers.ExecuteAsync<int>(_deployment, _ => throw new HttpRequestException("refused"), static _ => false, CancellationToken.None).AsTask());
        }

        Assert.True(breakers.IsOpen(_deployment));
    }

    [Fact]
    public async Task ExecuteAsync_ClientCancels_NotAFailure()
    {
        var breakers = Make(failures: 2);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => breakers.ExecuteAsync<int>(_deployment, ct =>
            {
                ct.ThrowIfCancellationRequested();
                return ValueTask.FromResult(200);
            }, static _ => false, cts.Token).AsTask());
        }

        Assert.False(breakers.IsOpen(_deployment));
    }

    [Fact]
    public async Task ExecuteAsync_OneDeploymentOpen_OthersUnaffected()
    {
        var breakers = Make(failures: 2);
        var other = Deployments.Make("healthy");
        await Send(breakers, _deployment, 500);
        await Send(breakers, _deployment, 500);

        Assert.True(breakers.IsOpen(_deployment));
        Assert.False(breakers.IsOpen(other));
        Assert.False((await Send(breakers, other, 200)).Rejected);
    }

    [Fact]
    public async Task ExecuteAsync_BreakerOff_NeverOpens()
    {
        var breakers = Make(failures: 0);
        for (var i = 0; i < 50; i++)
        {
            Assert.False((await Send(breakers, _deployment, 500)).Rejected);
        }

        Assert.False(breakers.IsOpen(_deployment));
    }

    internal sealed class Counter
    {
        public int Value { get; private set; }

        public void Add() => Value++;
    }
}
