using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Campaigns;
using NewsletterService.Data;

namespace NewsletterService.Delivery;

/// <summary>
/// Heals what a crash leaves behind. At start-up, every sending campaign gets its open rows dispatched again (jobs a
/// killed process had fetched stay invisible in Hangfire's storage for minutes) and a campaign whose ledger was never
/// written is started again. Then, every <c>Delivery:WatchdogInterval</c>, rows whose batch died (claim run out) are
/// handed to new batches, and campaigns with nothing left open are closed. Everything it enqueues is safe to run twice.
/// </summary>
public sealed class DeliveryWatchdog(
    IServiceScopeFactory scopes, IOptions<DeliveryOptions> options, TimeProvider time, ILogger<DeliveryWatchdog> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var startup = true;
        using var timer = new PeriodicTimer(options.Value.WatchdogInterval, time);
        do
        {
            try
            {
                await CheckAsync(startup, stoppingToken);
                startup = false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Delivery watchdog check failed");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task CheckAsync(bool startup, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDb>();
        var starter = scope.ServiceProvider.GetRequiredService<CampaignStarter>();
        var now = time.GetUtcNow().UtcDateTime;
        var sending = await db.Campaigns.Where(c => c.Status == CampaignStatus.Sending)
            .Select(c => new { c.Id, c.LedgerWrittenAt }).ToListAsync(ct);
        foreach (var (id, written) in sending.Select(c => (c.Id, c.LedgerWrittenAt != null)))
        {
            if (!written)
            {
                if (!startup) continue; // its start job is (or was) running; after a crash, the next start-up restarts it
                log.LogInformation("Campaign {CampaignId} has no ledger yet: starting it again", id);
                scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>()
                    .Enqueue<CampaignStarter>(s => s.StartAsync(id, CancellationToken.None));
                continue;
            }
            // Handing orphaned rows back as pending means the next check does not dispatch them again while their
            // new batch still waits in the queue.
            var orphaned = await DeliveryLedger.ReleaseAsync(db, DeliveryLedger.Orphaned(db, id, now), ct);
            if (orphaned > 0)
                log.LogWarning("Campaign {CampaignId}: {Orphaned} deliveries were claimed by a batch that died; sending them again",
                    id, orphaned);
            if (startup || orphaned > 0) await starter.DispatchAsync(db, id, ct);
            else await CampaignProgress.TryCompleteAsync(db, id, now, ct);
        }
        // A cancelled campaign whose batch died keeps its claimed rows until their claim runs out; then they are cancelled.
        var cancelled = await db.Campaigns.Where(c => c.Status == CampaignStatus.Cancelled && db.Deliveries.Any(d => d.CampaignId == c.Id &&
            (d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Sending))).Select(c => c.Id).ToListAsync(ct);
        foreach (var id in cancelled) await CampaignProgress.TryCompleteAsync(db, id, now, ct);
    }
}
