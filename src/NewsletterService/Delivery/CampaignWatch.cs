using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;

namespace NewsletterService.Delivery;

/// <summary>
/// Runs beside a batch from the moment it claims its rows: once a second it checks that the campaign is still sending
/// (pause and cancel stop the batch within that second), and it renews the claim every third of the claim's duration.
/// A batch that cannot renew in time (a starved process, a slow database) stops itself a third of the claim's duration
/// before the claim runs out, so it never sends rows that the watchdog may already have handed to another batch.
/// </summary>
public sealed class CampaignWatch : IAsyncDisposable
{
    /// <summary>How often the watch looks at the campaign's status (and so how soon pause and cancel stop a batch).</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;

    public CampaignWatch(IDbContextFactory<NewsletterDb> dbs, long campaignId, Func<NewsletterDb, IQueryable<DeliveryRecord>> claimed,
        DateTime claimedAt, TimeSpan claimFor, TimeProvider time, ILogger log, CancellationToken ct)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var margin = claimFor / 3;
        // The claim is ours until claimedAt + claimFor at the earliest; the batch stops sending a margin before that,
        // even when this loop itself is starved (the token source's own timer fires).
        void HoldUntil(DateTime renewedAt) => _stop.CancelAfter(
            TimeSpan.FromTicks(Math.Max(0, (renewedAt + claimFor - margin - time.GetUtcNow().UtcDateTime).Ticks)));
        HoldUntil(claimedAt);
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Tick, time);
            var renewedAt = claimedAt;
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    await using var db = await dbs.CreateDbContextAsync(_stop.Token);
                    if (!await CampaignProgress.IsSendingAsync(db, campaignId, _stop.Token)) { Stop(); return; }
                    var now = time.GetUtcNow().UtcDateTime;
                    // Renewed on the last tick that leaves a whole tick before the batch would stop itself: waiting for a
                    // full margin instead left a 3-second claim no time at all when a tick came a few milliseconds early.
                    if (now - renewedAt < margin - Tick) continue;
                    await claimed(db).ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedUntil, now + claimFor), _stop.Token);
                    renewedAt = now;
                    HoldUntil(renewedAt);
                }
            }
            catch (OperationCanceledException)
            {
                if (!ct.IsCancellationRequested && time.GetUtcNow().UtcDateTime >= renewedAt + claimFor - margin)
                    log.LogWarning("Campaign {CampaignId}: a batch could not renew its claim in time and stops sending", campaignId);
            }
        });
    }

    /// <summary>
    /// Cancelled when the campaign is paused or cancelled, when the claim could not be renewed in time, or when
    /// <see cref="Stop"/> is called.
    /// </summary>
    public CancellationToken Stopping => _stop.Token;

    public void Stop() => _stop.Cancel();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}
