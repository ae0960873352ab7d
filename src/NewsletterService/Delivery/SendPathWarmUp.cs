using System.Text.Json;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Subscriptions;

namespace NewsletterService.Delivery;

/// <summary>
/// Compiles the queries of a campaign's way from the API through its jobs before the first campaign needs them. EF
/// Core compiles a query the first time it runs, and with tiered compilation off the JIT compiles its code fully
/// optimised on first use: the first campaign after a start spent over a second on a dozen of these. Each runs here,
/// in the shape the real code gives it, for a campaign that cannot exist (id -1): reads find nothing, updates change
/// nothing, the jobs return at once. The one write, a campaign row (EF Core's insert path for it), is rolled back; the
/// jobs' own writes go to a job storage that is thrown away. The API's JSON for a campaign is read and written once too.
/// </summary>
public static class SendPathWarmUp
{
    private const long NoCampaign = -1;

    public static async Task RunAsync(IServiceProvider services, DateTime now, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDb>();
        var campaign = new Campaign { Kind = CampaignKind.Article, Status = CampaignStatus.Sending, CreatedAt = now };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync(ct);
            await tx.RollbackAsync(ct);
        }
        db.ChangeTracker.Clear();
        campaign.Id = NoCampaign;

        // The API: checking and creating a campaign (see CampaignScheduler), and how it answers.
        await Articles.ArticleStore.RefuseSendingAsync(db, NoCampaign, ct);
        SubscriptionChoices.TryResolveLists(await SubscriptionChoices.ListsBySlugAsync(db, ct), null, out _, out _);
        var (id, jobId, claim) = (NoCampaign, "warm-up", "warm-up");
        await db.Campaigns.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.ScheduledJobId, jobId), ct);
        await db.CampaignLists.Where(l => l.CampaignId == id).Select(l => l.ListId).ToListAsync(ct);
        var view = await CampaignsApi.ViewAsync(db, campaign, ct, withAudience: true);
        await CampaignsApi.GetAsync(NoCampaign, db, ct); // how the dashboard and API read a campaign's progress
        WarmJson(scope.ServiceProvider.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions, view);

        // The jobs, as Hangfire runs them: each returns once it finds no campaign -1 to send; then what a batch runs on
        // its rows.
        RunJobsAsHangfireDoes(services, NoCampaign);
        await DeliveryLedger.ClaimAsync(db, NoCampaign, 0, 0, claim, now, now, ct);
        await CampaignBatchJob.RecipientsAsync(db, DeliveryLedger.Claimed(db, NoCampaign, 0, 0, claim), ct);
        await DeliveryLedger.ReleaseAsync(db, DeliveryLedger.Claimed(db, NoCampaign, 0, 0, claim), ct);
        await CampaignProgress.TryCompleteAsync(db, NoCampaign, now, ct);

        // What a campaign that exists runs beyond those checks: its starter's ledger size and slices, its batch's campaign
        // and article reads and deferred rows, its end; and the watchdog's look for rows of a batch that died.
        await CampaignStarter.RecordTotalAsync(db, NoCampaign, now, ct);
        await DeliveryLedger.SliceAsync(db, NoCampaign, 0, 1, ct);
        await CampaignProgress.ReadAsync(db, NoCampaign, ct);
        await Articles.ArticleStore.ReadAsync(db, NoCampaign, ct);
        var waiting = DeliveryLedger.Waiting(db, NoCampaign, 0, 0);
        await waiting.AnyAsync(ct);
        await waiting.MinAsync(d => d.NextAttemptAt, ct);
        await CampaignProgress.FinishIfDoneAsync(db, NoCampaign, now, ct);
        await DeliveryLedger.ReleaseAsync(db, DeliveryLedger.Orphaned(db, NoCampaign, now), ct);
    }

    /// <summary>
    /// What Hangfire does with the campaign's jobs, in a job storage of its own that is thrown away after: its client
    /// creates each job as the real code does (filters, serialization, the storage's writes) and a worker fetches, performs
    /// (the activator's scope, the job filters, the invocation of the async method) and completes it. The JIT compiled all
    /// of that on the first campaign's way (~0.1-0.2 s, in its request and in its jobs). The jobs only read this
    /// service's database, for a campaign that does not exist. The storage is SQLite's, the default; with PostgreSQL's,
    /// its own code stays cold.
    /// </summary>
    private static void RunJobsAsHangfireDoes(IServiceProvider services, long id)
    {
        var folder = Directory.CreateTempSubdirectory("newsletter-warm-up-");
        try
        {
            using var storage = new WakingSQLiteStorage(Path.Combine(folder.FullName, "hangfire.db"), new SQLiteStorageOptions());
            var filters = services.GetService<IJobFilterProvider>() ?? JobFilterProviders.Providers;
            var client = new BackgroundJobClient(storage, filters);
            var performer = new BackgroundJobPerformer(filters, services.GetRequiredService<JobActivator>());
            var stateChanger = new BackgroundJobStateChanger(filters);
            string[] jobs =
            [
                client.Enqueue<CampaignStarter>(s => s.StartAsync(id, CancellationToken.None)),
                client.Enqueue<CampaignBatchJob>(j => j.SendAsync(id, 0, 0, CancellationToken.None)),
            ];
            // One worker of each of the service's servers takes its job (a worker waits until there is one).
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            foreach (var queues in new[] { JobsRegistration.Queues, [JobsRegistration.BatchQueue] })
            {
                try
                {
                    new Worker(queues, performer, stateChanger).Execute(new BackgroundProcessContext(
                        "warm-up", storage, new Dictionary<string, object>(), Guid.NewGuid(), stop.Token, stop.Token, stop.Token));
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    throw new TimeoutException("The warm-up's campaign jobs were not fetched.");
                }
            }
            using var connection = storage.GetConnection();
            if (jobs.Select(connection.GetStateData).Any(state => state?.Name != SucceededState.StateName))
                throw new InvalidOperationException("The warm-up's campaign jobs did not succeed.");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>System.Text.Json builds a type's reader and writer on first use: ~60 ms for the campaign's answer.</summary>
    private static void WarmJson(JsonSerializerOptions json, CampaignsApi.CampaignView view)
    {
        JsonSerializer.Deserialize<CampaignScheduler.CreateCampaign>("""{"articleId":-1,"lists":["warm-up"]}""", json);
        JsonSerializer.Serialize(view, json);
    }
}
