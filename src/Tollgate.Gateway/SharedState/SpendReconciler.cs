using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Gateway.Admission;

namespace Tollgate.Gateway.SharedState;

/// <summary>
/// With budgets in Redis, brings each key's settled spend in line with the ledger every
/// <see cref="Interval"/> (start-up does it once before serving): spend that an instance settled in the ledger but
/// could not count in Redis (it crashed, or Redis was away) is counted within one interval.
/// </summary>
internal sealed partial class SpendReconciler(AdmissionControl admission, StorageEngines engines, TimeProvider time, ILogger<SpendReconciler> logger) : IHostedService, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    private ITimer? _timer;
    private int _running;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (engines.Redis is not null)
        {
            _timer = time.CreateTimer(static s => _ = ((SpendReconciler)s!).ReconcileAsync(), this, Interval, Interval);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>One round over every budgeted key.</summary>
    public async Task ReconcileAsync()
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return;
        }

        try
        {
            await admission.LoadAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reconcile budgets in Redis with the ledger; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
