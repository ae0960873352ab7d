using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Articles;
using NewsletterService.Delivery;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

public sealed class SmtpRehearsalTests
{
    [Fact]
    public async Task Rehearsal_SendsOneReadersMailThroughMailKitToTheEnd_WithoutReachingTheSmtpServer()
    {
        await using var app = await NewsletterApp.StartAsync();
        Assert.True(PlainTextArticle.TryParse(SampleArticle.Text(), out var sample, out _));
        var content = await app.Services.GetRequiredService<ArticleCampaignKind>().RenderAsync(
            new Article { Title = sample.Title, Body = sample.Body, PublishedAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow },
            CancellationToken.None);

        var answer = await SmtpRehearsal.RunAsync(app.Services.GetRequiredService<MessageFactory>(), content, CancellationToken.None);

        // The played server answers the end of the message's data; the service's SMTP server saw no session of it.
        Assert.Contains("queued as REHEARSAL", answer);
        Assert.Empty(app.Smtp.Messages);
    }
}
