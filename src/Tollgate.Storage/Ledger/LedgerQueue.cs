using System.Threading.Channels;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// The write side of a ledger kept off the request path: entries go through a bounded channel to one writer that
/// stores them in batches. Without a journal, when the channel is full, <see cref="Append"/> waits rather than
/// dropping: a charged request is never lost. A batch that fails is retried (with a growing pause) until it is stored,
/// so the writer must be idempotent per entry id. Disposing drains the channel.
/// With a <see cref="LedgerJournal"/>, each entry is written to it (<see cref="Append"/> returns once its line is in the
/// file: what makes a delivered response survive a kill of the process or an outage of the database) and queued by it
/// in journal order (group-committed, see <see cref="LedgerJournal"/>), each stored batch is reported to it, and the
/// entries an earlier process left in it are queued first. A full channel (a long outage of the database) then does
/// not make requests wait: from there on entries are only journaled ("spilled"), and the writer, once the channel is
/// drained, reads them back from the journal in order and stores them; when it has caught up, entries are queued
/// again. Only a journal that cannot be written while entries are spilled makes <see cref="Append"/> wait.
/// With a journal, a batch that is not full waits <see cref="JournaledGather"/> for more entries (a flush cuts the
/// wait short): the entries are already durable in the journal, and a transaction per few milliseconds instead of
/// one per request keeps the database's cost per entry (and the writer's wake-ups, which compete with requests for the
/// CPU) low at any rate.
/// </summary>
public sealed class LedgerQueue : IAsyncDisposable
{
    /// <summary>How long a journaled batch that is not full waits for more entries before it is stored.</summary>
    public static readonly TimeSpan JournaledGather = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan s_maxPause = TimeSpan.FromSeconds(5);
    private readonly Channel<object> _queue;
    private readonly Func<IReadOnlyList<LedgerEntry>, Task> _write;
    private readonly Action<Exception>? _onError;
    private readonly int _maxBatch;
    private readonly LedgerJournal? _journal;
    private readonly Task _writer;
    private readonly Func<LedgerEntry, bool> _tryQueue;
    private readonly Action<LedgerEntry, bool, JournalPosition> _spill;
    private int _inBatch;

    // Set while the writer gathers a batch; a flush completes it to end the wait.
    private TaskCompletionSource? _gatherCut;

    // Entries journaled but not queued, and where the first of them starts in the journal (set by the appender that
    // spills first, then moved on by the writer as it stores them; guarded by _spillLock).
    private long _spilled;
    private JournalPosition _spillFrom;
    private readonly Lock _spillLock = new();

    // Put in the channel when spilling starts, so a writer that emptied the channel meanwhile looks at the spill.
    private static readonly object s_wake = new();

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
        _tryQueue = TryQueue;
        _spill = Spill;
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

        // Queued (or spilled) by the journal in its own order, so the n-th entry journaled is the n-th stored: the
        // journal's checkpoint is a count.
        var journaled = _journal.Append(entry, _tryQueue, _spill);
        if (!journaled)
        {
            // Queued all the same: the request is stored unless the process dies before the writer gets to it.
            _onError?.Invoke(new IOException($"The ledger journal in {_journal.Directory} could not be written (is the disk full?); entry {entry.Id} is only queued."));
        }
    }

    /// <summary>Queues the entry unless entries are spilled or the queue is full; under the journal's append lock.</summary>
    private bool TryQueue(LedgerEntry entry) => Volatile.Read(ref _spilled) == 0 && _queue.Writer.TryWrite(entry);

    /// <summary>
    /// An entry <see cref="TryQueue"/> did not take, once the journal has tried to write its line (at
    /// <paramref name="line"/>); under both of the journal's locks, so no entry is numbered after it meanwhile.
    /// </summary>
    private void Spill(LedgerEntry entry, bool journaled, JournalPosition line)
    {
        if (Volatile.Read(ref _spilled) > 0)
        {
            if (journaled)
            {
                Interlocked.Increment(ref _spilled);
            }
            else
            {
                // Not in the journal, so it cannot be read back: queued once the spilled entries are stored.
                WaitForSpill();
                Enqueue(entry);
            }
        }
        else if (!_queue.Writer.TryWrite(entry))
        {
            if (journaled)
            {
                // The queue is full (the database is away or slow): spill from this entry on instead of waiting.
                lock (_spillLock)
                {
                    _spillFrom = line;
                }

                Interlocked.Increment(ref _spilled);
                _queue.Writer.TryWrite(s_wake);
            }
            else
            {
                Enqueue(entry);
            }
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

    private void WaitForSpill()
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref _spilled) > 0)
        {
            spin.SpinOnce(sleep1Threshold: 10);
        }
    }

    /// <summary>Waits until every entry appended before this call is stored.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        // With a journal, "appended before" is a count of journaled entries (spilled ones are in no channel).
        var flush = new Flush(_journal?.Appended ?? -1);
        await _queue.Writer.WriteAsync(flush, cancellationToken).ConfigureAwait(false);
        Volatile.Read(ref _gatherCut)?.TrySetResult();
        await flush.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Volatile.Read(ref _gatherCut)?.TrySetResult();
        await _writer.ConfigureAwait(false);
        _journal?.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<LedgerEntry>(_maxBatch);
        var waiters = new List<Flush>();
        var reader = _queue.Reader;
        while (true)
        {
            Drain(reader, batch, waiters);
            if (_journal is not null && batch.Count is > 0 && batch.Count < _maxBatch && waiters.Count == 0)
            {
                // Journaled, so durable already: what arrives meanwhile goes into the same transaction. The cut is
                // published before the channel is looked at again, so a flush queued after that look cuts the wait.
                var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _gatherCut, cut);
                Drain(reader, batch, waiters);
                if (waiters.Count == 0 && batch.Count < _maxBatch)
                {
                    await Task.WhenAny(Task.Delay(JournaledGather), cut.Task).ConfigureAwait(false);
                }

                Volatile.Write(ref _gatherCut, null);
                Drain(reader, batch, waiters);
            }

            var idle = false;
            if (batch.Count > 0)
            {
                Volatile.Write(ref _inBatch, batch.Count);
                await StoreAsync(batch).ConfigureAwait(false);
                _journal?.Committed(batch.Count);
                batch.Clear();
                Volatile.Write(ref _inBatch, 0);
            }
            else if (Volatile.Read(ref _spilled) > 0)
            {
                // The channel is drained and entries wait in the journal only: store the next of them.
                await StoreSpilledAsync().ConfigureAwait(false);
            }
            else
            {
                idle = true;
            }

            // A flush is done once what was appended before it is stored (without a journal: what was before it in the channel).
            waiters.RemoveAll(w =>
            {
                var done = _journal is null || _journal.Appended - _journal.Pending >= w.Target;
                if (done)
                {
                    w.Done.TrySetResult();
                }

                return done;
            });

            if (idle && waiters.Count > 0)
            {
                // A flush counted an entry whose appender has not queued it yet: it arrives in a moment.
                await Task.Delay(1).ConfigureAwait(false);
            }
            else if (idle && !await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                break;
            }
        }
    }

    private void Drain(ChannelReader<object> reader, List<LedgerEntry> batch, List<Flush> waiters)
    {
        while (batch.Count < _maxBatch && reader.TryRead(out var item))
        {
            if (item is LedgerEntry entry)
            {
                batch.Add(entry);
            }
            else if (item is Flush flush)
            {
                waiters.Add(flush);
            }
        }
    }

    private async Task StoreSpilledAsync()
    {
        JournalPosition from;
        lock (_spillLock)
        {
            from = _spillFrom;
        }

        var (entries, lines, next) = _journal!.ReadFrom(from, (int)Math.Min(_maxBatch, Volatile.Read(ref _spilled)));
        if (lines == 0)
        {
            // Spilled entries are counted once their line is written, so this is not expected; look again soon rather
            // than store nothing in a loop.
            await Task.Delay(1).ConfigureAwait(false);
            return;
        }

        await StoreAsync(entries).ConfigureAwait(false);
        lock (_spillLock)
        {
            _spillFrom = next;
        }

        // Committed before the count drops, so a new spill's mark (taken at zero) is never overwritten by this one's.
        _journal.Committed(lines);
        Interlocked.Add(ref _spilled, -lines);
    }

    private async Task StoreAsync(IReadOnlyList<LedgerEntry> batch)
    {
        var pause = TimeSpan.FromMilliseconds(100);
        while (batch.Count > 0)
        {
            try
            {
                await _write(batch).ConfigureAwait(false);
                return;
            }
            catch (Exception ex)
            {
                // Keep the batch and retry: a ledger that drops charged requests is worse than a slow one.
                _onError?.Invoke(ex);
                await Task.Delay(pause).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, s_maxPause.Ticks));
            }
        }
    }

    /// <summary>A flush waiting in the channel: done once the first <see cref="Target"/> journaled entries are stored.</summary>
    private sealed class Flush(long target)
    {
        public long Target { get; } = target;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
