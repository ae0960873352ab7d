using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Articles;
using NewsletterService.Delivery;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

public sealed class SmtpRehearsalTests
{
    [Fact]
    public async Task Rehearsal_SendsOneReadersMailAsABatchDoes_WithoutReachingTheSmtpServerOrChangingTheLedger()
    {
        await using var app = await NewsletterApp.StartAsync();
        var admin = app.Admin();
        await admin.ImportSubscribersAsync(Api.Csv(1));
        var campaign = await admin.StartCampaignAsync((await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>());
        await admin.WaitForCampaignAsync(campaign);
        await app.Smtp.WaitForAsync(1);
        Assert.Equal(DeliveryStatus.Sent, (await app.WithDbAsync(db => db.Deliveries.SingleAsync())).Status);
        var ledgerBefore = await LedgerAsync(app);
        Assert.True(PlainTextArticle.TryParse(SampleArticle.Text(), out var sample, out _));
        var content = await app.Services.GetRequiredService<ArticleCampaignKind>().RenderAsync(
            new Article { Title = sample.Title, Body = sample.Body, PublishedAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow },
            CancellationToken.None);

        var (result, accepted) = await SmtpRehearsal.RunAsync(app.Services, content, CancellationToken.None);

        // The played server took the message and the ledger was told it was sent; the service's SMTP server saw no
        // more mail than the real campaign's, and the ledger's rows (that campaign's reader, sent) are as they were.
        Assert.Equal(DeliveryStatus.Sent, result.Status);
        Assert.Equal(1, accepted);
        Assert.Single(app.Smtp.Messages);
        Assert.Equal(ledgerBefore, await LedgerAsync(app));
    }

    private static Task<string> LedgerAsync(NewsletterApp app) => app.WithDbAsync(async db =>
        JsonSerializer.Serialize(await db.Deliveries.AsNoTracking().OrderBy(d => d.Id).ToListAsync()));
}
