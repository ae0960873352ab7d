using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Delivery;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

/// <summary>The process's one writer of batch results, which every batch's ledger goes through.</summary>
public sealed class LedgerWriterTests
{
    [Fact]
    public async Task TwoBatchesLedgers_EachCommitItsOwnResults_AndClosingOneLeavesTheOtherWriting()
    {
        await using var app = await SentCampaignAsync(readers: 3);
        var rows = await RowIdsAsync(app);
        var writer = app.Services.GetRequiredService<LedgerWriter>();

        var first = writer.Open();
        var second = writer.Open();
        _ = first.RecordAsync(Reader(rows[0]), DeliveryResult.Failed("first batch", bounce: false, serverFault: false));
        await first.DisposeAsync(); // returns once its own result is committed
        Assert.Equal("first batch", await ErrorOfAsync(app, rows[0]));

        await second.RecordAsync(Reader(rows[1]), DeliveryResult.Failed("second batch", bounce: false, serverFault: false));
        _ = second.RecordAsync(Reader(rows[2]), DeliveryResult.Failed("second batch, later", bounce: false, serverFault: false));
        await second.DisposeAsync();

        Assert.Equal("second batch", await ErrorOfAsync(app, rows[1]));
        Assert.Equal("second batch, later", await ErrorOfAsync(app, rows[2]));
    }

    [Fact]
    public async Task WriteThatKeepsFailing_FailsTheWaitingResult_AndALedgerOpenedLaterWritesAgain()
    {
        await using var app = await SentCampaignAsync(readers: 2);
        var rows = await RowIdsAsync(app);
        var writer = app.Services.GetRequiredService<LedgerWriter>();
        await LedgerTableAsync(app, away: true); // every write now fails, as on a broken database

        var broken = writer.Open();
        var failing = broken.RecordAsync(Reader(rows[0]), DeliveryResult.Failed("never written", bounce: false, serverFault: false));
        await Assert.ThrowsAnyAsync<Exception>(() => failing);
        await Assert.ThrowsAnyAsync<Exception>(() => broken.RecordAsync(Reader(rows[1]), DeliveryResult.Sent));
        await Assert.ThrowsAnyAsync<Exception>(async () => await broken.DisposeAsync());

        await LedgerTableAsync(app, away: false);
        await using (var later = writer.Open())
            await later.RecordAsync(Reader(rows[1]), DeliveryResult.Failed("written", bounce: false, serverFault: false));

        Assert.Equal("written", await ErrorOfAsync(app, rows[1]));
        Assert.Null(await ErrorOfAsync(app, rows[0]));
    }

    private static async Task<NewsletterApp> SentCampaignAsync(int readers)
    {
        var app = await NewsletterApp.StartAsync();
        var admin = app.Admin();
        await admin.ImportSubscribersAsync(Api.Csv(readers));
        var campaign = await admin.StartCampaignAsync((await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>());
        await admin.WaitForCampaignAsync(campaign);
        return app;
    }

    private static Task<List<long>> RowIdsAsync(NewsletterApp app) =>
        app.WithDbAsync(db => db.Deliveries.OrderBy(d => d.Id).Select(d => d.Id).ToListAsync());

    private static Task<string?> ErrorOfAsync(NewsletterApp app, long id) =>
        app.WithDbAsync(db => db.Deliveries.Where(d => d.Id == id).Select(d => d.Error).SingleAsync());

    /// <summary>Takes the ledger's table away (every write to it fails), or puts it back.</summary>
    private static Task<int> LedgerTableAsync(NewsletterApp app, bool away) => app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(away
        ? "ALTER TABLE \"Deliveries\" RENAME TO \"DeliveriesAway\""
        : "ALTER TABLE \"DeliveriesAway\" RENAME TO \"Deliveries\""));

    private static Recipient Reader(long deliveryId) =>
        new(deliveryId, 0, "reader@example.test", null, SubscriberStatus.Confirmed, 0, null);
}
