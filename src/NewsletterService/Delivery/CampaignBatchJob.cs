using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Digests;
using NewsletterService.Subscriptions;

namespace NewsletterService.Delivery;

/// <summary>
/// Sends one slice of a campaign's ledger (delivery ids <c>firstId..lastId</c>). Safe to run twice, or twice at once:
/// it first claims the rows that are still due, and sends only what it claimed.
/// </summary>
public sealed class CampaignBatchJob(
    IDbContextFactory<NewsletterDb> dbs, CampaignContentCache contents, DigestContent digests, IMailSender sender, SendSlots slots, MessageFactory messages,
    IBackgroundJobClient jobs, IOptions<DeliveryOptions> deliveryOptions, IOptions<SmtpOptions> smtpOptions,
    TimeProvider time, ILogger<CampaignBatchJob> log)
{
    private sealed record Recipient(long DeliveryId, long SubscriberId, string? Email, string? Name, SubscriberStatus? Status, int Attempts, DateTime? DigestFrom);

    [Queue(Infrastructure.JobsRegistration.BatchQueue), AutomaticRetry(Attempts = 10)]
    public async Task SendAsync(long campaignId, long firstId, long lastId, CancellationToken ct)
    {
        var options = deliveryOptions.Value;
        var claimFor = options.ClaimDuration;
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await CampaignWatch.IsSendingAsync(db, campaignId, ct)) return;

        var claim = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow().UtcDateTime;
        var claimed = await db.Deliveries
            .Where(d => d.CampaignId == campaignId && d.Id >= firstId && d.Id <= lastId &&
                        ((d.Status == DeliveryStatus.Pending && (d.NextAttemptAt == null || d.NextAttemptAt <= now)) ||
                         (d.Status == DeliveryStatus.Sending && d.ClaimedUntil < now)))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sending)
                .SetProperty(d => d.ClaimToken, claim).SetProperty(d => d.ClaimedUntil, now + claimFor), ct);

        try
        {
            if (claimed > 0)
            {
                var recipients = await (
                    from d in db.Deliveries
                    where d.ClaimToken == claim && d.Status == DeliveryStatus.Sending
                    join s in db.Subscribers on d.SubscriberId equals s.Id into found
                    from s in found.DefaultIfEmpty()
                    orderby d.Id
                    select new Recipient(d.Id, d.SubscriberId, s.Email, s.Name, (SubscriberStatus?)s.Status, d.Attempts, d.DigestFrom)).ToListAsync(ct);
                var contentFor = await ContentForAsync(db, campaignId, recipients, ct);

                await using var watch = new CampaignWatch(dbs, campaignId, claim, claimFor, time, ct);
                var consecutiveFailures = 0;
                await using (var ledger = new DeliveryLedger(dbs, time))
                {
                    try
                    {
                        await Parallel.ForEachAsync(recipients,
                            new ParallelOptions { MaxDegreeOfParallelism = smtpOptions.Value.TotalConnections, CancellationToken = watch.Stopping },
                            async (r, stopping) =>
                            {
                                if (r.Email is null || r.Status != SubscriberStatus.Confirmed)
                                {
                                    ledger.Skipped(r.DeliveryId, r.Email is null ? "subscriber deleted" : $"subscriber is {r.Status}");
                                    return;
                                }
                                if (contentFor(r) is not { } content)
                                {
                                    ledger.Skipped(r.DeliveryId, "nothing new for this reader");
                                    return;
                                }
                                var links = messages.RecipientLinks(r.SubscriberId, r.Name);
                                var message = messages.Create(content.Subject, content.Email, r.Email, links);
                                await slots.WaitAsync(stopping); // held until the outcome is committed (see SendSlots)
                                try
                                {
                                    // Pause stops the wait for a connection or the rate limit; a message once started is finished.
                                    await sender.SendAsync(message, messages.EnvelopeSender(campaignId, r.DeliveryId), stopping);
                                    Interlocked.Exchange(ref consecutiveFailures, 0);
                                    await ledger.SentAsync(r.DeliveryId);
                                }
                                catch (Exception e) when (SmtpFailure.TryClassify(e, out var failure))
                                {
                                    if (failure.Permanent)
                                    {
                                        ledger.Failed(r.DeliveryId, r.SubscriberId, failure.ShortReason, failure.RecipientRejected);
                                        return;
                                    }
                                    var attempts = r.Attempts + 1;
                                    if (attempts >= options.MaxAttempts)
                                        ledger.Failed(r.DeliveryId, r.SubscriberId, $"gave up after {attempts} attempts: {failure.ShortReason}", false);
                                    else
                                        ledger.Deferred(r.DeliveryId, failure.ShortReason, time.GetUtcNow().UtcDateTime + options.RetryDelayFor(attempts));
                                    if (failure.ServerFault && Interlocked.Increment(ref consecutiveFailures) == options.MaxConsecutiveFailures)
                                    {
                                        var reason = $"paused after {options.MaxConsecutiveFailures} SMTP failures in a row: {failure.ShortReason}";
                                        log.LogWarning("Campaign {CampaignId} {Reason}", campaignId, reason);
                                        await CampaignControl.TryPauseAsync(db, campaignId, reason[..Math.Min(reason.Length, 1000)], CancellationToken.None);
                                        watch.Stop();
                                    }
                                }
                                finally
                                {
                                    slots.Release();
                                }
                            });
                    }
                    catch (OperationCanceledException) when (watch.Stopping.IsCancellationRequested && !ct.IsCancellationRequested)
                    {
                        log.LogInformation("Campaign {CampaignId}: batch {FirstId}-{LastId} stopped early", campaignId, firstId, lastId);
                    }
                }
            }
        }
        finally
        {
            // Whatever this run claimed but did not attempt goes back to the ledger for the next run, also when
            // Hangfire aborts the job (shutdown, a lost fetch): its rows need not wait for the watchdog.
            var released = await db.Deliveries.Where(d => d.ClaimToken == claim && d.Status == DeliveryStatus.Sending)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Pending)
                    .SetProperty(d => d.ClaimToken, (string?)null).SetProperty(d => d.ClaimedUntil, (DateTime?)null), CancellationToken.None);
            // An aborted run may never run again (its job was also fetched and finished by another process), and the
            // watchdog only sees rows that are still claimed: the released rows get a job of their own.
            if (released > 0 && ct.IsCancellationRequested)
                jobs.Enqueue<CampaignBatchJob>(j => j.SendAsync(campaignId, firstId, lastId, CancellationToken.None));
        }

        await ScheduleRetryAsync(db, campaignId, firstId, lastId, ct);
        await CampaignProgress.TryCompleteAsync(db, campaignId, time.GetUtcNow().UtcDateTime, ct);
    }

    /// <summary>An article campaign has one email for all; a digest has each reader's own articles (see <see cref="DigestContent"/>).</summary>
    private async Task<Func<Recipient, CampaignContent?>> ContentForAsync(NewsletterDb db, long campaignId, List<Recipient> recipients, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstAsync(c => c.Id == campaignId, ct);
        if (campaign.Kind != CampaignKind.Digest)
        {
            var content = await contents.GetAsync(campaignId, ct);
            return _ => content;
        }
        var perReader = await digests.ForBatchAsync(db, campaign, recipients.Select(r => new DigestContent.Recipient(r.SubscriberId, r.DigestFrom)).ToList(), ct);
        return r => perReader.GetValueOrDefault(r.SubscriberId);
    }

    /// <summary>Deferred deliveries (4xx, connection trouble) in this slice get this job again when the first of them is due.</summary>
    private async Task ScheduleRetryAsync(NewsletterDb db, long campaignId, long firstId, long lastId, CancellationToken ct)
    {
        if (!await CampaignWatch.IsSendingAsync(db, campaignId, ct)) return;
        var open = db.Deliveries.Where(d => d.CampaignId == campaignId && d.Id >= firstId && d.Id <= lastId && d.Status == DeliveryStatus.Pending);
        if (!await open.AnyAsync(ct)) return;
        var now = time.GetUtcNow().UtcDateTime;
        var next = await open.MinAsync(d => d.NextAttemptAt, ct) ?? now;
        var delay = next > now ? next - now : TimeSpan.Zero;
        jobs.Schedule<CampaignBatchJob>(j => j.SendAsync(campaignId, firstId, lastId, CancellationToken.None), delay);
    }
}
