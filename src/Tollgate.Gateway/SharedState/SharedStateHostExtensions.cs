using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Gateway.Admission;
using Tollgate.Storage.Counters;
using Tollgate.Storage.Limits;
using Tollgate.Storage.Keys;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Postgres.Keys;
using Tollgate.Storage.Postgres.Ledger;

namespace Tollgate.Gateway.SharedState;

/// <summary>Registers the ledger, key store, counters and budgets on the engines <see cref="StorageEngines"/> opened.</summary>
internal static partial class SharedStateHostExtensions
{
    public static IServiceCollection AddTollgateStorage(this IServiceCollection services, StorageEngines engines)
    {
        // Resolved first and so disposed last: the ledger drains into the database before its pool closes.
        services.AddSingleton(_ => engines);
        services.AddSingleton<ILedger>(static sp =>
        {
            // Every entry goes to the journal before the queue: a killed process's last requests are stored at the
            // next start (before budgets are read from the ledger), and entries wait there while PostgreSQL is away.
            var e = sp.GetRequiredService<StorageEngines>();
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Tollgate.Ledger");
            var journal = LedgerJournal.Open(e.JournalDirectory, e.LedgerFsync);
            if (journal.Recovered.Count > 0)
            {
                LogJournalRecovered(logger, journal.Recovered.Count, journal.SkippedLines, journal.Directory);
            }

            // The gauge tollgate.ledger.queue_depth: entries journaled and not yet stored.
            var metrics = sp.GetRequiredService<Telemetry.GatewayMetrics>();
            if (e.Database is not { } db)
            {
                SqliteLedger? sqlite = null;
                sqlite = new SqliteLedger(e.SqlitePath, journal, ex => LogLedgerWriteFailed(logger, ex.Message, sqlite?.Pending ?? 0));
                metrics.ObserveLedgerQueue(() => sqlite.Pending);
                return sqlite;
            }

            PostgresLedger? ledger = null;
            ledger = new PostgresLedger(db.DataSource, ex => LogLedgerWriteFailed(logger, ex.Message, ledger?.Pending ?? 0), journal);
            metrics.ObserveLedgerQueue(() => ledger.Pending);
            return ledger;
        });
        services.AddSingleton<IKeyStore>(static sp =>
        {
            var e = sp.GetRequiredService<StorageEngines>();
            return e.Database is { } db ? new PostgresKeyStore(db.DataSource) : new SqliteKeyStore(e.SqlitePath);
        });
        services.AddSingleton(static sp => new BudgetTracker(sp.GetRequiredService<StorageEngines>().Redis?.Budgets));
        services.AddSingleton<ILimitStore>(static sp => sp.GetRequiredService<StorageEngines>().Redis?.Limits ?? new InProcessLimits(new InMemoryCounterStore(), sp.GetRequiredService<BudgetTracker>()));
        services.AddSingleton<SpendReconciler>();
        services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<SpendReconciler>());
        return services;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A ledger write failed ({Reason}); what was not stored is kept and retried, {Pending} entries wait")]
    private static partial void LogLedgerWriteFailed(ILogger logger, string reason, long pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storing {Count} ledger entries an earlier process left in its journal ({Skipped} torn lines skipped) from {Directory}")]
    private static partial void LogJournalRecovered(ILogger logger, int count, int skipped, string directory);
}
