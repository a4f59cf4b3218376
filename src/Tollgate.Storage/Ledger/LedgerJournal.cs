using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// The ledger's local append-only journal: every entry is written to a file in the data directory, one JSON line with
/// one <c>write()</c>, before it is queued for the database, so it outlives a kill of the process (the written bytes
/// are in the OS page cache) and an outage of the database. With <c>fsync</c> each line is also flushed to the disk,
/// which a power loss needs. The journal is a sequence of segment files: the writer reports each stored batch
/// (<see cref="Committed"/>); a segment whose entries are all stored is deleted, and the live segment is emptied
/// whenever everything appended is stored (the checkpoint). At start, <see cref="Open"/> reads the segments a previous
/// process left (a torn last line is skipped), for the ledger to store again (its inserts ignore ids already stored).
/// A segment a live process holds (an advisory lock) is left alone, so instances may share a data directory.
/// Entries are numbered in the order they were appended; <see cref="Append"/> queues (or spills) each one in that same
/// order, so the database receives them as the journal holds them and "the first N are stored" is a position in the
/// journal. Appends are group-committed: each request serializes its line on its own thread, copies it to the pending
/// lines and queues its entry under a short lock, then whoever holds the file writes every pending line with one
/// <c>write()</c> (one flush with fsync); an appender whose line went out with another's returns without a system
/// call. Every append still returns only once its own line is in the file. An entry that is not queued (the queue is
/// full or entries are spilled) takes the slow path instead: its line is written under both locks, so its position
/// and whether it was written are known before the next entry is numbered.
/// </summary>
public sealed class LedgerJournal : IDisposable
{
    /// <summary>The extension of a segment file.</summary>
    public const string Extension = ".journal";

    private static readonly JsonEncodedText s_id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText s_time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText s_key = JsonEncodedText.Encode("key_id");
    private static readonly JsonEncodedText s_endpoint = JsonEncodedText.Encode("endpoint");
    private static readonly JsonEncodedText s_provider = JsonEncodedText.Encode("provider");
    private static readonly JsonEncodedText s_model = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText s_stream = JsonEncodedText.Encode("stream");
    private static readonly JsonEncodedText s_status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText s_error = JsonEncodedText.Encode("error_type");
    private static readonly JsonEncodedText s_latency = JsonEncodedText.Encode("latency_ms");
    private static readonly JsonEncodedText s_ttft = JsonEncodedText.Encode("ttft_ms");
    private static readonly JsonEncodedText s_input = JsonEncodedText.Encode("input_tokens");
    private static readonly JsonEncodedText s_cacheRead = JsonEncodedText.Encode("cache_read_tokens");
    private static readonly JsonEncodedText s_cacheWrite = JsonEncodedText.Encode("cache_write_tokens");
    private static readonly JsonEncodedText s_output = JsonEncodedText.Encode("output_tokens");
    private static readonly JsonEncodedText s_reasoning = JsonEncodedText.Encode("reasoning_tokens");
    private static readonly JsonEncodedText s_cost = JsonEncodedText.Encode("cost");
    private static readonly JsonEncodedText s_listCost = JsonEncodedText.Encode("list_cost");
    private static readonly JsonEncodedText s_estimated = JsonEncodedText.Encode("estimated");
    private static readonly JsonEncodedText s_unpriced = JsonEncodedText.Encode("unpriced");
    private static readonly JsonEncodedText s_attempts = JsonEncodedText.Encode("attempts");
    private static readonly JsonEncodedText s_failure = JsonEncodedText.Encode("failure");
    private static readonly JsonEncodedText s_overReserved = JsonEncodedText.Encode("over_reserved");

    // Segments started by this process, for unique names (several journals may share a directory).
    private static int s_segments;
    // The live segment is emptied once everything in it is stored and it has grown past this.
    private const long TruncateBytes = 64 * 1024;
    private readonly string _directory;
    private readonly bool _fsync;
    private readonly long _segmentBytes;

    // The line being serialized, one per thread: serialization is outside every lock.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_line;
    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    // Held to number a line, copy it to the pending lines and queue its entry: journal order is queue order. Short,
    // except for an entry that is not queued (see Append).
    private readonly Lock _append = new();

    // Held to write to the files (the live segment, the segments queue): one writer at a time, taking _append only to
    // swap the pending lines for an empty buffer. Always taken before _append, never after.
    private readonly Lock _file = new();

    // Lines appended and not yet written (under _append), and the emptied buffer they are swapped with (under _file).
    private ArrayBufferWriter<byte> _pending = new(16 * 1024);
    private ArrayBufferWriter<byte> _spare = new(16 * 1024);

    // Segments no longer written to, oldest first, each with the number of entries appended up to its end.
    private readonly Queue<(string Path, FileStream? Stream, long End)> _closed = new();
    // This process's segments in the order they were started, for ReadFrom (which takes neither lock); guarded by itself.
    private readonly List<string> _order = [];
    private FileStream _active;
    private string _activePath;
    private long _activeLength;
    private long _appended;
    private long _written;
    private int _failures;

    // 1 when a stored batch was reported and the files have not been tidied since.
    private int _untidy;
    private bool _torn;
    private long _committed;
    private bool _disposed;

    private LedgerJournal(string directory, bool fsync, long segmentBytes)
    {
        _directory = directory;
        _fsync = fsync;
        _segmentBytes = segmentBytes;
        (_activePath, _active) = CreateSegment();
    }

    /// <summary>Where the segments are.</summary>
    public string Directory => _directory;

    /// <summary>Entries appended, those an earlier process left included.</summary>
    public long Appended => Volatile.Read(ref _appended);

    /// <summary>Entries appended (or left by an earlier process) and not yet stored in the database.</summary>
    public long Pending => Volatile.Read(ref _appended) - Volatile.Read(ref _committed);

    /// <summary>The entries an earlier process left unstored, in journal order (some may be stored already).</summary>
    public IReadOnlyList<LedgerEntry> Recovered { get; private set; } = [];

    /// <summary>Lines of the earlier segments that could not be read (a torn last line after a kill).</summary>
    public int SkippedLines { get; private set; }

    /// <summary>
    /// Opens the journal in <paramref name="directory"/> (created, readable by the owner only): reads what earlier
    /// processes left (<see cref="Recovered"/>) and starts a new segment for this one.
    /// </summary>
    /// <param name="fsync">Flush every line to the disk (survives a power loss; costs a disk flush per request).</param>
    /// <param name="segmentBytes">Size after which a new segment is started.</param>
    public static LedgerJournal Open(string directory, bool fsync = false, long segmentBytes = 4 * 1024 * 1024)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentBytes, 1);
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // Read the old segments first: the new one must not be among them.
        var recovered = new List<LedgerEntry>();
        var skipped = 0;
        var old = new List<(string, FileStream)>();
        foreach (var path in System.IO.Directory.GetFiles(directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            FileStream stream;
            try
            {
                // Exclusive: fails while the process that writes the segment is alive.
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            }
            catch (IOException)
            {
                continue;
            }

            skipped += Read(stream, recovered);
            old.Add((path, stream));
        }

        var journal = new LedgerJournal(directory, fsync, segmentBytes) { Recovered = recovered, SkippedLines = skipped };
        journal._appended = recovered.Count;
        journal._written = recovered.Count;
        foreach (var (path, stream) in old)
        {
            journal._closed.Enqueue((path, stream, recovered.Count));
        }

        return journal;
    }

    /// <summary>
    /// Writes <paramref name="entry"/> as one line of the journal and returns once it is in the file (flushed to the disk
    /// with fsync). <paramref name="queue"/> is called with the entry in journal order, before its line is written, and
    /// tells whether it queued the entry. When it did not, the line is written at once under the same lock and
    /// <paramref name="spilled"/> is called, still in journal order, with whether the line was written and where it
    /// starts: the next entry is numbered only after that call, so the caller can count the entries that are in the
    /// journal only and know where the first of them is.
    /// </summary>
    /// <returns>
    /// False when the line may not have been written (a full disk): the entry is counted all the same, so the
    /// checkpoint stays a count of queued entries, and the next line starts on a line of its own.
    /// </returns>
    public bool Append(LedgerEntry entry, Func<LedgerEntry, bool>? queue = null, Action<LedgerEntry, bool, JournalPosition>? spilled = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var line = Serialize(entry);
        long number;
        int failures;
        lock (_append)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (queue is not null && !queue(entry))
            {
                number = 0;
                failures = 0;
            }
            else
            {
                _pending.Write(line);
                number = _appended + 1;
                Volatile.Write(ref _appended, number);
                failures = Volatile.Read(ref _failures);
            }
        }

        bool written;
        lock (_file)
        {
            if (number == 0)
            {
                written = AppendNotQueued(entry, line, queue!, spilled);
            }
            else
            {
                // Written already when another appender took the file first: its write carried this line too.
                if (Volatile.Read(ref _written) < number)
                {
                    WritePending(out _);
                }

                written = _failures == failures;
            }
        }

        // The writer may have stored a batch while this appender held the file: tidy for it.
        TryTidy();
        return written;
    }

    /// <summary>
    /// The slow path of an entry the queue did not take at first: under both locks (in their order) it is offered to
    /// the queue again, then its line is written with the pending ones before it and <paramref name="spilled"/> is
    /// told, so nothing is numbered after it until it is either queued or known to be in the file (or not).
    /// </summary>
    private bool AppendNotQueued(LedgerEntry entry, ReadOnlySpan<byte> line, Func<LedgerEntry, bool> queue, Action<LedgerEntry, bool, JournalPosition>? spilled)
    {
        lock (_append)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var queued = queue(entry);
            var offset = _pending.WrittenCount;
            _pending.Write(line);
            Volatile.Write(ref _appended, _appended + 1);
            var written = WritePending(out var start);
            if (!queued)
            {
                spilled?.Invoke(entry, written, start with { Offset = start.Offset + offset });
            }

            return written;
        }
    }

    /// <summary>
    /// Writes every pending line with one write; the caller holds <see cref="_file"/>. <paramref name="start"/> is where
    /// the first of them starts (after the end of a torn line). False when the write failed.
    /// </summary>
    private bool WritePending(out JournalPosition start)
    {
        ArrayBufferWriter<byte> lines;
        long upTo;
        lock (_append)
        {
            lines = _pending;
            _pending = _spare;
            upTo = _appended;
        }

        var written = !_disposed;
        start = new JournalPosition(_activePath, _active.Position);
        if (written)
        {
            try
            {
                if (_torn)
                {
                    // The last write may have stopped inside its line: end that line first.
                    _active.Write("\n"u8);
                    _activeLength++;
                    start = start with { Offset = start.Offset + 1 };
                }

                _active.Write(lines.WrittenSpan);
                if (_fsync)
                {
                    _active.Flush(flushToDisk: true);
                }

                _torn = false;
            }
            catch (IOException)
            {
                _torn = true;
                written = false;
            }
        }

        if (!written)
        {
            _failures++;
        }

        _activeLength += lines.WrittenCount;
        lines.ResetWrittenCount();
        _spare = lines;
        Volatile.Write(ref _written, upTo);
        if (written && _activeLength >= _segmentBytes)
        {
            try
            {
                var next = CreateSegment();
                _closed.Enqueue((_activePath, null, upTo));
                _active.Dispose();
                (_activePath, _active) = next;
                _activeLength = 0;
            }
            catch (IOException)
            {
                // No room for a new segment: this one grows instead.
            }
        }

        return written;
    }

    /// <summary>The entry as its journal line with the newline, in this thread's buffer.</summary>
    private static ReadOnlySpan<byte> Serialize(LedgerEntry entry)
    {
        var line = t_line ??= new ArrayBufferWriter<byte>(2048);
        line.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(line);
        json.Reset(line);
        Write(json, entry);
        json.Flush();
        line.GetSpan(1)[0] = (byte)'\n';
        line.Advance(1);
        return line.WrittenSpan;
    }

    /// <summary>
    /// Reads back up to <paramref name="max"/> entries appended from <paramref name="from"/> on (a position given to <c>spilled</c>),
    /// going on into later segments, and where the next one starts. Only whole lines are read, so a line still being
    /// written is left for the next call. Empty lines (the end of a torn one) are passed over; <c>Lines</c> counts the
    /// others, an unreadable one included (it stands for an appended entry all the same). Safe beside
    /// <see cref="Append"/>: it reads the files, not this object's state.
    /// </summary>
    public (IReadOnlyList<LedgerEntry> Entries, int Lines, JournalPosition Next) ReadFrom(JournalPosition from, int max)
    {
        var entries = new List<LedgerEntry>(Math.Min(max, 1024));
        var lines = 0;
        var position = from;
        var buffer = new byte[1 << 20];
        while (true)
        {
            bool atEnd;
            using (var stream = new FileStream(position.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                while (true)
                {
                    stream.Position = position.Offset;
                    var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                    var rest = buffer.AsSpan(0, read);
                    var consumed = 0;
                    while (lines < max && rest.IndexOf((byte)'\n') is var end and >= 0)
                    {
                        if (end > 0)
                        {
                            lines++;
                            if (TryParse(rest[..end]) is { } entry)
                            {
                                entries.Add(entry);
                            }
                        }

                        consumed += end + 1;
                        rest = rest[(end + 1)..];
                    }

                    position = position with { Offset = position.Offset + consumed };
                    if (lines >= max || consumed == 0 || read < buffer.Length)
                    {
                        atEnd = position.Offset >= stream.Length;
                        break;
                    }
                }
            }

            string? next;
            lock (_order)
            {
                var i = _order.IndexOf(position.Path);
                next = atEnd && i >= 0 && i + 1 < _order.Count ? _order[i + 1] : null;
            }

            if (next is null)
            {
                break;
            }

            // A later segment exists, so this one is written no more (and may be deleted once stored): go on at the next.
            position = new JournalPosition(next, 0);
            if (lines >= max)
            {
                break;
            }
        }

        return (entries, lines, position);
    }

    /// <summary>Lets go of <see cref="Recovered"/> once the ledger has queued them.</summary>
    public void ReleaseRecovered() => Recovered = [];

    /// <summary>The writer stored the next <paramref name="count"/> entries: drops the segments now wholly stored.</summary>
    public void Committed(int count)
    {
        Interlocked.Add(ref _committed, count);
        Volatile.Write(ref _untidy, 1);
        TryTidy();
    }

    /// <summary>
    /// Drops the segments wholly stored and empties the live one when everything is, unless another thread holds the
    /// file: never wait for it, as its holder may be waiting for room in the queue (or for spilled entries to be
    /// stored), which only the writer makes. The holder looks again once it lets go of the file (see Append).
    /// </summary>
    private void TryTidy()
    {
        while (Volatile.Read(ref _untidy) != 0 && _file.TryEnter())
        {
            try
            {
                Volatile.Write(ref _untidy, 0);
                if (!_disposed)
                {
                    Tidy();
                }
            }
            finally
            {
                _file.Exit();
            }
        }
    }

    /// <summary>The work of <see cref="TryTidy"/>; the caller holds <see cref="_file"/>.</summary>
    private void Tidy()
    {
        var committed = Volatile.Read(ref _committed);
        while (_closed.Count > 0 && _closed.Peek().End <= committed)
        {
            var (path, stream, _) = _closed.Dequeue();
            stream?.Dispose();
            File.Delete(path);
            lock (_order)
            {
                _order.Remove(path);
            }
        }

        if (committed >= Volatile.Read(ref _written) && _activeLength >= TruncateBytes)
        {
            // Every line in the files is stored (lines still pending go to the emptied segment): the checkpoint is
            // the end of the journal, so the live segment starts over.
            // Not after every batch (a truncate costs about as much as several appends); what is left below the
            // threshold is at most a few hundred entries the next start finds already stored.
            _active.SetLength(0);
            _active.Position = 0;
            _activeLength = 0;
        }
    }

    /// <summary>Closes the journal; when everything is stored its files are deleted, otherwise kept for the next start.</summary>
    public void Dispose()
    {
        lock (_file)
        {
            if (_disposed)
            {
                return;
            }

            if (Volatile.Read(ref _written) < Volatile.Read(ref _appended))
            {
                WritePending(out _);
            }

            lock (_append)
            {
                _disposed = true;
            }

            var stored = _committed == _appended;
            _active.Dispose();
            while (_closed.TryDequeue(out var segment))
            {
                segment.Stream?.Dispose();
                if (stored)
                {
                    File.Delete(segment.Path);
                }
            }

            if (stored)
            {
                File.Delete(_activePath);
            }
        }
    }

    /// <summary>One entry as its journal line (without the newline).</summary>
    public static void Write(Utf8JsonWriter writer, LedgerEntry e)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(e);
        writer.WriteStartObject();
        writer.WriteString(s_id, e.Id);
        writer.WriteString(s_time, e.Time);
        writer.WriteString(s_key, e.KeyId);
        writer.WriteString(s_endpoint, e.Endpoint);
        writer.WriteString(s_provider, e.Provider);
        writer.WriteString(s_model, e.Model);
        writer.WriteBoolean(s_stream, e.Stream);
        writer.WriteNumber(s_status, e.Status);
        writer.WriteString(s_error, e.ErrorType);
        WriteDouble(writer, s_latency, e.LatencyMs);
        WriteDouble(writer, s_ttft, e.TtftMs);
        writer.WriteNumber(s_input, e.InputTokens);
        writer.WriteNumber(s_cacheRead, e.CacheReadTokens);
        writer.WriteNumber(s_cacheWrite, e.CacheWriteTokens);
        writer.WriteNumber(s_output, e.OutputTokens);
        writer.WriteNumber(s_reasoning, e.ReasoningTokens);
        WriteDecimal(writer, s_cost, e.Cost);
        WriteDecimal(writer, s_listCost, e.ListCost);
        writer.WriteBoolean(s_estimated, e.Estimated);
        writer.WriteBoolean(s_unpriced, e.Unpriced);
        if (e.OverReserved is not null)
        {
            // Only on the rare entry of an over-reporting provider: the usual line stays as short as it was.
            WriteDecimal(writer, s_overReserved, e.OverReserved);
        }

        if (e.Attempts.Count > 0)
        {
            writer.WriteStartArray(s_attempts);
            for (var i = 0; i < e.Attempts.Count; i++)
            {
                var a = e.Attempts[i];
                writer.WriteStartObject();
                writer.WriteString(s_provider, a.Provider);
                writer.WriteString(s_model, a.Model);
                writer.WriteNumber(s_status, a.Status);
                writer.WriteString(s_failure, a.Failure);
                WriteDouble(writer, s_latency, a.LatencyMs);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>An entry from its journal line.</summary>
    /// <exception cref="JsonException">The line is not a whole entry.</exception>
    public static LedgerEntry Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        using var document = JsonDocument.ParseValue(ref reader);
        var o = document.RootElement;
        if (o.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A journal line is not an object.");
        }

        var attempts = new List<LedgerAttempt>();
        if (o.TryGetProperty("attempts", out var list))
        {
            foreach (var a in list.EnumerateArray())
            {
                attempts.Add(new LedgerAttempt(a.GetProperty("provider").GetString()!, a.GetProperty("model").GetString()!, a.GetProperty("status").GetInt32(), a.GetProperty("failure").GetString(), Double(a, "latency_ms") ?? 0));
            }
        }

        return new LedgerEntry
        {
            Id = o.GetProperty("id").GetString()!,
            Time = o.GetProperty("time").GetDateTimeOffset(),
            KeyId = o.GetProperty("key_id").GetString(),
            Endpoint = o.GetProperty("endpoint").GetString()!,
            Provider = o.GetProperty("provider").GetString(),
            Model = o.GetProperty("model").GetString(),
            Stream = o.GetProperty("stream").GetBoolean(),
            Status = o.GetProperty("status").GetInt32(),
            ErrorType = o.GetProperty("error_type").GetString(),
            LatencyMs = Double(o, "latency_ms") ?? 0,
            TtftMs = Double(o, "ttft_ms"),
            InputTokens = o.GetProperty("input_tokens").GetInt64(),
            CacheReadTokens = o.GetProperty("cache_read_tokens").GetInt64(),
            CacheWriteTokens = o.GetProperty("cache_write_tokens").GetInt64(),
            OutputTokens = o.GetProperty("output_tokens").GetInt64(),
            ReasoningTokens = o.GetProperty("reasoning_tokens").GetInt64(),
            Cost = Decimal(o, "cost"),
            ListCost = Decimal(o, "list_cost"),
            Estimated = o.GetProperty("estimated").GetBoolean(),
            Unpriced = o.GetProperty("unpriced").GetBoolean(),
            Attempts = attempts.Count == 0 ? [] : attempts,
            OverReserved = Decimal(o, "over_reserved"),
        };
    }

    /// <summary>The entry of a journal line; null when the line is not a whole entry.</summary>
    private static LedgerEntry? TryParse(ReadOnlySpan<byte> line)
    {
        try
        {
            return Parse(line);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Adds the segment's entries to <paramref name="entries"/>; returns how many lines could not be read.</summary>
    private static int Read(FileStream stream, List<LedgerEntry> entries)
    {
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        var rest = bytes.AsSpan();
        var skipped = 0;
        while (rest.Length > 0)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            if (TryParse(line) is { } entry)
            {
                entries.Add(entry);
            }
            else
            {
                // A line cut by the kill (its write never finished): the request it belonged to never got its response.
                skipped++;
            }
        }

        return skipped;
    }

    private (string Path, FileStream Stream) CreateSegment()
    {
        // Named by time, process and sequence: unique across instances sharing the directory, and ordered.
        var name = string.Create(CultureInfo.InvariantCulture, $"ledger-{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Environment.ProcessId}-{Interlocked.Increment(ref s_segments):D6}{Extension}");
        var path = Path.Combine(_directory, name);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,

            // Shared for reading: a starting instance's exclusive open fails, so it leaves a live segment alone.
            Share = FileShare.Read,

            // No buffer: each Write is one write() of the whole line, which a kill of the process cannot undo.
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var created = new FileStream(path, options);
        lock (_order)
        {
            _order.Add(path);
        }

        return (path, created);
    }

    private static void WriteDouble(Utf8JsonWriter writer, JsonEncodedText name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteDecimal(Utf8JsonWriter writer, JsonEncodedText name, decimal? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static double? Double(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static decimal? Decimal(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;
}
