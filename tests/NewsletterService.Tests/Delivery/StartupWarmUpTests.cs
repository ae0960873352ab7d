using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

public abstract class StartupWarmUpTests(Database database)
{
    [SkippableFact]
    public async Task Start_WarmsTheSendPathWithoutWarnings_AndLeavesNoCampaignArticleOrAuditEntryBehind()
    {
        await using var app = await NewsletterApp.StartAsync(database);

        // The warm-up ran before the host answered: it inserted (and rolled back) a campaign and an article, and ran
        // every query of a campaign's way for a campaign that cannot exist.
        Assert.DoesNotContain(app.Log.Entries, e => e.Contains("warm-up", StringComparison.OrdinalIgnoreCase) ||
                                                    e.Contains("Warming", StringComparison.Ordinal));
        var left = await app.WithDbAsync(db => Task.FromResult((
            db.Campaigns.Count(), db.Articles.Count(), db.Deliveries.Count(), db.AuditEntries.Count())));
        Assert.Equal((0, 0, 0, 0), left);
    }
}

public sealed class StartupWarmUpOnSqlite() : StartupWarmUpTests(Database.Sqlite);

public sealed class StartupWarmUpOnPostgres() : StartupWarmUpTests(Database.Postgres);
