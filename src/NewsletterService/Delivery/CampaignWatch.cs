using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;

namespace NewsletterService.Delivery;

/// <summary>
/// Runs beside a batch: once a second it checks that the campaign is still sending (pause and cancel stop the batch
/// within that second) and renews the batch's claim on its rows every third of the claim's duration while it works.
/// </summary>
public sealed class CampaignWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;

    public CampaignWatch(
        IDbContextFactory<NewsletterDb> dbs, long campaignId, string claim, TimeSpan claimFor, TimeProvider time, CancellationToken ct)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
            var renewEvery = Math.Max(1, (int)(claimFor.TotalSeconds / 3));
            var tick = 0;
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    await using var db = await dbs.CreateDbContextAsync(_stop.Token);
                    if (!await CampaignProgress.IsSendingAsync(db, campaignId, _stop.Token)) { Stop(); return; }
                    if (++tick % renewEvery == 0)
                        await db.Deliveries.Where(d => d.ClaimToken == claim && d.Status == DeliveryStatus.Sending)
                            .ExecuteUpdateAsync(
                                s => s.SetProperty(d => d.ClaimedUntil, time.GetUtcNow().UtcDateTime + claimFor), _stop.Token);
                }
            }
            catch (OperationCanceledException) { }
        });
    }

    /// <summary>Cancelled when the campaign is paused or cancelled, or when <see cref="Stop"/> is called.</summary>
    public CancellationToken Stopping => _stop.Token;

    public void Stop() => _stop.Cancel();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}
