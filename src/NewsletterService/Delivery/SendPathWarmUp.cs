using System.Text.Json;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Infrastructure;

namespace NewsletterService.Delivery;

/// <summary>
/// Compiles the queries of a campaign's way from the API through its jobs before the first campaign needs them. EF
/// Core compiles a query the first time it runs, and with tiered compilation off the JIT compiles its code fully
/// optimised on first use: the first campaign after a start spent over a second on a dozen of these. Each runs here,
/// in the shape the real code gives it, for a campaign that cannot exist (id -1): reads find nothing, updates change
/// nothing, the jobs return at once. The one write, a campaign row (EF Core's insert path for it), is rolled back. The
/// API's JSON for a campaign is read and written once too.
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
        var (id, jobId, claim) = (NoCampaign, "warm-up", "warm-up");
        await db.Campaigns.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.ScheduledJobId, jobId), ct);
        await db.CampaignLists.Where(l => l.CampaignId == id).Select(l => l.ListId).ToListAsync(ct);
        var view = await CampaignsApi.ViewAsync(db, campaign, ct, withAudience: true);
        await CampaignsApi.GetAsync(NoCampaign, db, ct); // how the dashboard and API read a campaign's progress
        WarmJson(scope.ServiceProvider.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions, view);

        // The jobs, as Hangfire runs them: each returns once it finds no campaign -1 to send; then what a batch runs on
        // its rows.
        PerformAsHangfireDoes(services, NoCampaign, now);
        await DeliveryLedger.ClaimAsync(db, NoCampaign, 0, 0, claim, now, now, ct);
        await CampaignBatchJob.RecipientsAsync(db, DeliveryLedger.Claimed(db, NoCampaign, 0, 0, claim), ct);
        await DeliveryLedger.ReleaseAsync(db, DeliveryLedger.Claimed(db, NoCampaign, 0, 0, claim), ct);
        await CampaignProgress.TryCompleteAsync(db, NoCampaign, now, ct);
    }

    /// <summary>
    /// What Hangfire does with the campaign's jobs, short of storing them: its client reads a job's expression and
    /// serializes it with its state, a worker deserializes it and performs it (the activator's scope, the job filters,
    /// the invocation of the async method). The JIT compiled all of that on the first campaign's way (~0.1-0.2 s). The
    /// job filters only read the storage, for a job that does not exist.
    /// </summary>
    private static void PerformAsHangfireDoes(IServiceProvider services, long id, DateTime now)
    {
        var storage = services.GetRequiredService<JobStorage>();
        var performer = new BackgroundJobPerformer(
            services.GetService<IJobFilterProvider>() ?? JobFilterProviders.Providers, services.GetRequiredService<JobActivator>());
        using var connection = storage.GetConnection();
        SerializationHelper.Serialize(new EnqueuedState(JobsRegistration.BatchQueue).SerializeData());
        foreach (var job in new[]
                 {
                     Job.FromExpression<CampaignStarter>(s => s.StartAsync(id, CancellationToken.None)),
                     Job.FromExpression<CampaignBatchJob>(j => j.SendAsync(id, 0, 0, CancellationToken.None)),
                 })
        {
            var stored = InvocationData.DeserializePayload(InvocationData.SerializeJob(job).SerializePayload()).DeserializeJob();
            var context = new PerformContext(
                storage, connection, new BackgroundJob($"{id}", stored, now), new JobCancellationToken(false));
            performer.Perform(context);
        }
    }

    /// <summary>System.Text.Json builds a type's reader and writer on first use: ~60 ms for the campaign's answer.</summary>
    private static void WarmJson(JsonSerializerOptions json, CampaignsApi.CampaignView view)
    {
        JsonSerializer.Deserialize<CampaignScheduler.CreateCampaign>("""{"articleId":-1,"lists":["warm-up"]}""", json);
        JsonSerializer.Serialize(view, json);
    }
}
