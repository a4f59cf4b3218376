using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Gateway.Admission;
using Tollgate.Storage.Counters;
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
            var e = sp.GetRequiredService<StorageEngines>();
            if (e.Database is not { } db)
            {
                return new SqliteLedger(e.SqlitePath);
            }

            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Tollgate.Ledger");
            return new PostgresLedger(db.DataSource, ex => LogLedgerWriteFailed(logger, ex.Message));
        });
        services.AddSingleton<IKeyStore>(static sp =>
        {
            var e = sp.GetRequiredService<StorageEngines>();
            return e.Database is { } db ? new PostgresKeyStore(db.DataSource) : new SqliteKeyStore(e.SqlitePath);
        });
        services.AddSingleton<ICounterStore>(static sp => sp.GetRequiredService<StorageEngines>().Redis?.Counters ?? new InMemoryCounterStore());
        services.AddSingleton(static sp => new BudgetTracker(sp.GetRequiredService<StorageEngines>().Redis?.Budgets));
        services.AddSingleton<SpendReconciler>();
        services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<SpendReconciler>());
        return services;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL did not take a ledger batch ({Reason}); it is kept and retried")]
    private static partial void LogLedgerWriteFailed(ILogger logger, string reason);
}
