using System.Threading.Channels;

namespace Tollgate.Emulator.Tests.Infrastructure;

/// <summary>
/// A clock whose timers wait until the test fires them, and whose time the test sets: a test sees each finite wait
/// the emulator asks for (<see cref="NextTimerAsync"/>), checks what happens meanwhile, then lets it end.
/// (An endless <c>Task.Delay</c> starts no timer at all.)
/// </summary>
internal sealed class HeldTimeProvider(DateTimeOffset now) : TimeProvider
{
    private readonly Channel<HeldTimer> _timers = Channel.CreateUnbounded<HeldTimer>();

    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new HeldTimer(dueTime, () => callback(state));
        _timers.Writer.TryWrite(timer);
        return timer;
    }

    /// <summary>The next timer the emulator starts (at most 10 s of real time away, so a broken test fails rather than hangs).</summary>
    public async Task<HeldTimer> NextTimerAsync() => await _timers.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    internal sealed class HeldTimer(TimeSpan due, Action callback) : ITimer
    {
        private int _fired;

        public TimeSpan Due { get; } = due;

        /// <summary>Ends the wait now.</summary>
        public void Fire()
        {
            if (Interlocked.Exchange(ref _fired, 1) == 0)
            {
                ThreadPool.QueueUserWorkItem(_ => callback());
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose() => Interlocked.Exchange(ref _fired, 1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
