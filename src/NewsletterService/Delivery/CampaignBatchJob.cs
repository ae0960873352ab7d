using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;
using NewsletterService.Subscriptions;
using NewsletterService.Tracking;

namespace NewsletterService.Delivery;

/// <summary>
/// The sending pipeline, step two: sends one slice of a campaign's ledger (delivery ids <c>firstId..lastId</c>) with
/// <see cref="ReaderSender"/>, the campaign's <see cref="ICampaignKind"/> saying what each reader gets. Safe to run
/// twice, or twice at once: it first claims the rows that are still due, and sends only what it claimed.
/// </summary>
public sealed class CampaignBatchJob(
    IDbContextFactory<NewsletterDb> dbs, IEnumerable<ICampaignKind> kinds, ReaderSender readers, LedgerWriter ledgers,
    IBackgroundJobClient jobs,
    IOptions<DeliveryOptions> deliveryOptions, IOptions<SmtpOptions> smtpOptions, TimeProvider time, ILogger<CampaignBatchJob> log)
{
    [Queue(Infrastructure.JobsRegistration.BatchQueue), AutomaticRetry(Attempts = 10)]
    public async Task SendAsync(long campaignId, long firstId, long lastId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await CampaignProgress.IsSendingAsync(db, campaignId, ct)) return;

        var claim = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow().UtcDateTime;
        var claimFor = deliveryOptions.Value.ClaimDuration;
        IQueryable<DeliveryRecord> Claimed(NewsletterDb of) => DeliveryLedger.Claimed(of, campaignId, firstId, lastId, claim);
        try
        {
            if (await DeliveryLedger.ClaimAsync(db, campaignId, firstId, lastId, claim, now, now + claimFor, ct) > 0)
            {
                // Watched from the claim on: loading the readers and rendering their content may take long on a busy machine.
                await using var watch = new CampaignWatch(dbs, campaignId, Claimed, now, claimFor, time, log, ct);
                await SendClaimedAsync(db, campaignId, Claimed(db), watch);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            log.LogInformation("Campaign {CampaignId}: batch {FirstId}-{LastId} stopped early", campaignId, firstId, lastId);
        }
        finally
        {
            // Whatever this run claimed but did not attempt goes back to the ledger for the next run, also when
            // Hangfire aborts the job (shutdown, a lost fetch): its rows need not wait for the watchdog.
            var released = await DeliveryLedger.ReleaseAsync(db, Claimed(db), CancellationToken.None);
            // An aborted run may never run again (its job was also fetched and finished by another process), and the
            // watchdog only sees rows that are still claimed: the released rows get a job of their own.
            if (released > 0 && ct.IsCancellationRequested)
                jobs.Enqueue<CampaignBatchJob>(j => j.SendAsync(campaignId, firstId, lastId, CancellationToken.None));
        }

        await ScheduleRetryAsync(db, campaignId, firstId, lastId, ct);
        await CampaignProgress.TryCompleteAsync(db, campaignId, time.GetUtcNow().UtcDateTime, ct);
    }

    /// <summary>
    /// Sends every row this run claimed, over all the process's SMTP connections at once, until done or until the
    /// campaign is paused or cancelled (by an editor, or here after too many SMTP server failures in a row).
    /// </summary>
    private async Task SendClaimedAsync(NewsletterDb db, long campaignId, IQueryable<DeliveryRecord> claimed, CampaignWatch watch)
    {
        var ct = watch.Stopping;
        var recipients = await RecipientsAsync(db, claimed, ct);
        var campaign = await CampaignProgress.ReadAsync(db, campaignId, ct) ??
            throw new InvalidOperationException($"Campaign {campaignId} is gone.");
        var contentFor = await kinds.Single(k => k.Kind == campaign.Kind).ContentForAsync(db, campaign, recipients, ct);
        var tracking = new CampaignTracking(campaignId, campaign.TrackOpens, campaign.TrackClicks);

        var maxFailures = deliveryOptions.Value.MaxConsecutiveFailures;
        var failuresInARow = 0;
        await using var ledger = ledgers.Open();
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = smtpOptions.Value.TotalConnections, CancellationToken = watch.Stopping,
        };
        await Parallel.ForEachAsync(recipients, parallel, async (reader, stopping) =>
        {
            var result = await readers.SendAsync(tracking, reader, contentFor(reader), ledger, stopping);
            if (result.Status == DeliveryStatus.Sent) Interlocked.Exchange(ref failuresInARow, 0);
            else if (result.ServerFault && Interlocked.Increment(ref failuresInARow) == maxFailures)
            {
                var reason = $"paused after {maxFailures} SMTP failures in a row: {result.Reason}";
                log.LogWarning("Campaign {CampaignId} {Reason}", campaignId, reason);
                await CampaignProgress.TryPauseAsync(db, campaignId, reason, CancellationToken.None);
                watch.Stop();
            }
        });
    }

    /// <summary>The rows a run claimed, with their readers (a reader deleted meanwhile has no address).</summary>
    public static Task<List<Recipient>> RecipientsAsync(NewsletterDb db, IQueryable<DeliveryRecord> claimed, CancellationToken ct) => (
            from d in claimed
            join s in db.Subscribers on d.SubscriberId equals s.Id into found
            from s in found.DefaultIfEmpty()
            orderby d.Id
            select new Recipient(
                d.Id, d.SubscriberId, s.Email, s.Name, (SubscriberStatus?)s.Status, d.Attempts, d.DigestFrom, (bool?)s.TrackingOff == true))
        .ToListAsync(ct);

    /// <summary>Deferred deliveries (4xx, connection trouble) in this slice get this job again when the first of them is due.</summary>
    private async Task ScheduleRetryAsync(NewsletterDb db, long campaignId, long firstId, long lastId, CancellationToken ct)
    {
        if (!await CampaignProgress.IsSendingAsync(db, campaignId, ct)) return;
        var open = DeliveryLedger.Waiting(db, campaignId, firstId, lastId);
        if (!await open.AnyAsync(ct)) return;
        var now = time.GetUtcNow().UtcDateTime;
        var next = await open.MinAsync(d => d.NextAttemptAt, ct) ?? now;
        var delay = next > now ? next - now : TimeSpan.Zero;
        jobs.Schedule<CampaignBatchJob>(j => j.SendAsync(campaignId, firstId, lastId, CancellationToken.None), delay);
    }
}
