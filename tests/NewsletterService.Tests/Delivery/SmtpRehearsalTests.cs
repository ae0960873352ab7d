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
        Assert.True(PlainTextArticle.TryParse(SampleArticle.Text(), out var sample, out _));
        var content = await app.Services.GetRequiredService<ArticleCampaignKind>().RenderAsync(
            new Article { Title = sample.Title, Body = sample.Body, PublishedAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow },
            CancellationToken.None);

        var (result, accepted) = await SmtpRehearsal.RunAsync(app.Services, content, CancellationToken.None);

        // The played server took the message and the ledger was told it was sent; the service's SMTP server saw no
        // session of it, and the ledger has no row for it.
        Assert.Equal(DeliveryStatus.Sent, result.Status);
        Assert.Equal(1, accepted);
        Assert.Empty(app.Smtp.Messages);
        Assert.Equal(0, await app.WithDbAsync(db => db.Deliveries.CountAsync()));
    }
}
