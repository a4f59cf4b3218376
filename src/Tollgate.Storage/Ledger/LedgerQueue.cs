using System.Threading.Channels;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// The write side of a ledger kept off the request path: entries go through a bounded channel to one writer that
/// stores them in batches. When the channel is full, <see cref="Append"/> waits rather than dropping: a charged
/// request is never lost. A batch that fails is retried (with a growing pause) until it is stored, so the writer must
/// be idempotent per entry id. Disposing drains the channel.
/// </summary>
public sealed class LedgerQueue : IAsyncDisposable
{
    private static readonly TimeSpan s_maxPause = TimeSpan.FromSeconds(5);
    private readonly Channel<object> _queue;
    private readonly Func<IReadOnlyList<LedgerEntry>, Task> _write;
    private readonly Action<Exception>? _onError;
    private readonly int _maxBatch;
    private readonly Task _writer;
    private int _inBatch;

    /// <param name="write">Stores one batch; throws when it could not.</param>
    /// <param name="onError">Told of each failed attempt (the batch is kept and retried).</param>
    /// <param name="maxBatch">Most entries per batch.</param>
    /// <param name="capacity">Entries held before <see cref="Append"/> waits.</param>
    public LedgerQueue(Func<IReadOnlyList<LedgerEntry>, Task> write, Action<Exception>? onError = null, int maxBatch = 512, int capacity = 65_536)
    {
        _write = write;
        _onError = onError;
        _maxBatch = maxBatch;
        _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Entries appended but not yet stored (failed batches included): a sign that the database is away.</summary>
    public int Pending => _queue.Reader.Count + Volatile.Read(ref _inBatch);

    /// <summary>Queues an entry; waits only when the queue is full.</summary>
    public void Append(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!_queue.Writer.TryWrite(entry))
        {
            // Full: wait for room instead of losing the record. Rare, and only under a flood or a long outage.
            _queue.Writer.WriteAsync(entry).AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Waits until every entry appended before this call is stored.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(done, cancellationToken).ConfigureAwait(false);
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<LedgerEntry>(_maxBatch);
        var waiters = new List<TaskCompletionSource>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxBatch && reader.TryRead(out var item))
            {
                if (item is LedgerEntry entry)
                {
                    batch.Add(entry);
                }
                else
                {
                    waiters.Add((TaskCompletionSource)item);
                }
            }

            Volatile.Write(ref _inBatch, batch.Count);
            var pause = TimeSpan.FromMilliseconds(100);
            while (batch.Count > 0)
            {
                try
                {
                    await _write(batch).ConfigureAwait(false);
                    break;
                }
                catch (Exception ex)
                {
                    // Keep the batch and retry: a ledger that drops charged requests is worse than a slow one.
                    _onError?.Invoke(ex);
                    await Task.Delay(pause).ConfigureAwait(false);
                    pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, s_maxPause.Ticks));
                }
            }

            batch.Clear();
            Volatile.Write(ref _inBatch, 0);
            foreach (var w in waiters)
            {
                w.TrySetResult();
            }

            waiters.Clear();
        }
    }
}
