using System.Net;
using Tollgate.Gateway.Admission;
using Tollgate.Gateway.Public;
using Tollgate.Storage.Counters;

namespace Tollgate.Gateway.Tests.Admission;

/// <summary>Public mode's per-client state: one client per IPv6 /64, and a check that costs O(1) however many clients there were.</summary>
public sealed class PerClientStateTests
{
    private static readonly long s_minute = new DateTimeOffset(2026, 11, 24, 12, 1, 0, TimeSpan.Zero).UtcTicks;

    [Theory]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 64, "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", 64, "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", 64, "2001:db8:1:3::/64")]
    [InlineData("2001:db8:1:2:ffff::1", 56, "2001:db8:1::/56")]
    [InlineData("2001:db8::1", 128, "2001:db8::1")]
    [InlineData("203.0.113.7", 64, "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", 64, "203.0.113.7")]
    public void LimitKey_Ipv6ByPrefix_Ipv4ByAddress(string address, int prefix, string expected)
    {
        Assert.Equal(expected, ClientAddressResolver.LimitKey(IPAddress.Parse(address), prefix));
    }

    [Fact]
    public async Task CounterStore_150000Clients_EachCheckVisitsAtMostAFewEntries()
    {
        var store = new InMemoryCounterStore();
        for (var i = 0; i < 150_000; i++)
        {
            await store.TryAddAsync("rpm:ip:" + i, s_minute, 1, 10);
        }

        // Each check past the threshold visits at most SweepPerAdd entries, never the 150,000.
        for (var i = 0; i < 100; i++)
        {
            var before = store.SweepVisited;
            await store.TryAddAsync("rpm:ip:x" + i, s_minute, 1, 10);
            Assert.InRange(store.SweepVisited - before, 0, InMemoryCounterStore.SweepPerAdd);
        }

        // Three days later the old windows go, a few per check: a full pass takes about 150,000 / 16 checks.
        var later = s_minute + (3 * TimeSpan.TicksPerDay);
        for (var i = 0; i < 150_100 / InMemoryCounterStore.SweepPerAdd * 2 && store.WindowCount > InMemoryCounterStore.SweepThreshold; i++)
        {
            await store.TryAddAsync("rpm:ip:new", later, 1, 1_000_000);
        }

        Assert.True(store.WindowCount <= InMemoryCounterStore.SweepThreshold, $"{store.WindowCount} windows left");
    }

    [Fact]
    public void BudgetTracker_150000Clients_EachReservationVisitsAtMostAFewBudgets()
    {
        var tracker = new BudgetTracker();
        var today = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 150_000; i++)
        {
            Assert.True(tracker.TryReserve("ip:" + i, "day", today, 1m, 0.01m, out var r, out _));
            tracker.Settle(r, 0.01m);
        }

        for (var i = 0; i < 100; i++)
        {
            var before = tracker.SweepVisited;
            tracker.TryReserve("ip:x" + i, "day", today, 1m, 0.01m, out _, out _);
            Assert.InRange(tracker.SweepVisited - before, 0, BudgetTracker.SweepPerReserve);
        }

        // The next day yesterday's budgets go, a few per reservation.
        var tomorrow = today.AddDays(1);
        for (var i = 0; i < 150_100 / BudgetTracker.SweepPerReserve * 2 && tracker.Count > BudgetTracker.SweepThreshold; i++)
        {
            tracker.TryReserve("ip:new", "day", tomorrow, 1_000_000m, 0m, out _, out _);
        }

        Assert.True(tracker.Count <= BudgetTracker.SweepThreshold, $"{tracker.Count} budgets left");
    }
}
