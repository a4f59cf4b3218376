using System.Threading.Channels;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// The write side of a ledger kept off the request path: entries go through a bounded channel to one writer that
/// stores them in batches. When the channel is full, <see cref="Append"/> waits rather than dropping: a charged
/// request is never lost. A batch that fails is retried (with a growing pause) until it is stored, so the writer must
/// be idempotent per entry id. Disposing drains the channel.
/// With a <see cref="LedgerJournal"/>, each entry is written to it before it is queued (what makes a delivered
/// response survive a kill of the process or an outage of the database), each stored batch is reported to it, and the
/// entries an earlier process left in it are queued first.
/// </summary>
public sealed class LedgerQueue : IAsyncDisposable
{
    private static readonly TimeSpan s_maxPause = TimeSpan.FromSeconds(5);
    private readonly Channel<object> _queue;
    private readonly Func<IReadOnlyList<LedgerEntry>, Task> _write;
    private readonly Action<Exception>? _onError;
    private readonly int _maxBatch;
    private readonly LedgerJournal? _journal;
    private readonly Task _writer;
    private readonly Action<LedgerEntry> _enqueue;
    private int _inBatch;

    /// <param name="write">Stores one batch; throws when it could not.</param>
    /// <param name="onError">Told of each failed attempt to store a batch (it is kept and retried) and of each entry the journal could not take.</param>
    /// <param name="maxBatch">Most entries per batch.</param>
    /// <param name="capacity">Entries held before <see cref="Append"/> waits.</param>
    /// <param name="journal">Where entries are written before they are queued; its recovered entries are queued first.</param>
    public LedgerQueue(Func<IReadOnlyList<LedgerEntry>, Task> write, Action<Exception>? onError = null, int maxBatch = 512, int capacity = 65_536, LedgerJournal? journal = null)
    {
        _write = write;
        _onError = onError;
        _maxBatch = maxBatch;
        _journal = journal;
        _enqueue = Enqueue;
        _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteLoopAsync);
        if (journal is not null)
        {
            // What a killed process left: stored again before anything new (ids already stored are skipped), so a
            // flush (which budgets wait for before they read the ledger) includes them.
            foreach (var entry in journal.Recovered)
            {
                Enqueue(entry);
            }

            journal.ReleaseRecovered();
        }
    }

    /// <summary>Entries appended but not yet stored (failed batches included): a sign that the database is away.</summary>
    public long Pending => _journal?.Pending ?? _queue.Reader.Count + Volatile.Read(ref _inBatch);

    /// <summary>Journals (when there is a journal) and queues an entry; waits only when the queue is full.</summary>
    public void Append(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_journal is null)
        {
            Enqueue(entry);
            return;
        }

        // Queued by the journal in its own order, so the n-th entry journaled is the n-th stored: the journal's
        // checkpoint is a count.
        if (!_journal.Append(entry, _enqueue))
        {
            // Queued all the same: the request is stored unless the process dies before the writer gets to it.
            _onError?.Invoke(new IOException($"The ledger journal in {_journal.Directory} could not be written (is the disk full?); entry {entry.Id} is only queued."));
        }
    }

    private void Enqueue(LedgerEntry entry)
    {
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
        _journal?.Dispose();
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
                    _journal?.Committed(batch.Count);
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
