namespace Tollgate.Storage.Ledger;

/// <summary>A place in this process's ledger journal: a segment file and a byte offset in it, where a line starts.</summary>
public readonly record struct JournalPosition(string Path, long Offset);
