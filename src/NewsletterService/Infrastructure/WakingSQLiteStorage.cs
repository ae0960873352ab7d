using System.Collections.Concurrent;
using Hangfire.Storage;
using Hangfire.Storage.SQLite;

namespace NewsletterService.Infrastructure;

/// <summary>
/// Hangfire's SQLite storage, whose job queue wakes this process's idle workers of a queue the moment a job is
/// enqueued in it here. They otherwise found new jobs only by polling (<c>Jobs:PollInterval</c>): a campaign waited
/// half an interval on average to start and as long again for its batch (most of a one-reader campaign's ~0.4 s), a
/// confirmation mail as long. Jobs enqueued by another process are still found by polling; the PostgreSQL storage
/// wakes its workers with LISTEN/NOTIFY.
/// </summary>
public sealed class WakingSQLiteStorage : SQLiteStorage
{
    private readonly SQLiteStorageOptions _options;
    private readonly PersistentJobQueueProviderCollection _queues;

    public WakingSQLiteStorage(string path, SQLiteStorageOptions options) : base(path, options)
    {
        _options = options;
        _queues = new PersistentJobQueueProviderCollection(new WakingQueueProvider(options));
    }

    public override IStorageConnection GetConnection() => new HangfireSQLiteConnection(CreateAndOpenConnection(), _options, _queues);

    public override IMonitoringApi GetMonitoringApi() => new SQLiteMonitoringApi(this, _queues);

    private sealed class WakingQueueProvider(SQLiteStorageOptions options) : IPersistentJobQueueProvider
    {
        /// <summary>Per queue, cancelled and replaced when a job is enqueued in it.</summary>
        private readonly ConcurrentDictionary<string, CancellationTokenSource> _enqueued = new();

        public IPersistentJobQueue GetJobQueue(HangfireDbContext db) => new WakingQueue(new SQLiteJobQueue(db, options), this);

        public IPersistentJobQueueMonitoringApi GetJobQueueMonitoringApi(HangfireDbContext db) => new SQLiteJobQueueMonitoringApi(db);

        public CancellationToken Enqueued(string queue) => _enqueued.GetOrAdd(queue, _ => new CancellationTokenSource()).Token;

        public void Wake(string queue)
        {
            if (_enqueued.TryRemove(queue, out var waiting)) waiting.Cancel();
        }
    }

    private sealed class WakingQueue(SQLiteJobQueue inner, WakingQueueProvider provider) : IPersistentJobQueue
    {
        public void Enqueue(string queue, string jobId)
        {
            inner.Enqueue(queue, jobId); // committed: the storage runs each write on its own
            provider.Wake(queue);
        }

        public IFetchedJob Dequeue(string[] queues, CancellationToken cancellationToken)
        {
            while (true)
            {
                // Taken before the worker looks, so that a job enqueued while it looks still wakes it. The inner queue
                // looks, then waits on the token for a poll interval; a wake cancels the wait (it never drops a job it
                // fetched), and the worker looks again.
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(
                    [cancellationToken, .. queues.Select(provider.Enqueued)]);
                try
                {
                    return inner.Dequeue(queues, wake.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { }
            }
        }
    }
}
