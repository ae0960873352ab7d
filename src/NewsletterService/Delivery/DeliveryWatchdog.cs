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
        var sending = await db.Campaigns.Where(c => c.Status == CampaignStatus.Sending).Select(c => c.Id).ToListAsync(ct);
        foreach (var id in sending)
        {
            var rows = db.Deliveries.Where(d => d.CampaignId == id);
            if (!await rows.AnyAsync(ct))
            {
                // Its start job has not run yet; at start-up it may have died with the process that had fetched it.
                if (startup) scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>().Enqueue<CampaignStarter>(s => s.StartAsync(id, CancellationToken.None));
                continue;
            }
            var orphaned = await rows.CountAsync(d => d.Status == DeliveryStatus.Sending && d.ClaimedUntil < now, ct);
            if (orphaned > 0) log.LogWarning("Campaign {CampaignId}: {Orphaned} deliveries were claimed by a batch that died; sending them again", id, orphaned);
            if (startup || orphaned > 0) await starter.DispatchAsync(db, id, ct);
            else await CampaignProgress.TryCompleteAsync(db, id, now, ct);
        }
    }
}
