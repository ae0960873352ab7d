using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NewsletterService.Articles;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;

namespace NewsletterService.Campaigns;

/// <summary>A campaign's subject and its email, rendered once and personalised per recipient.</summary>
public sealed record CampaignContent(string Subject, PersonalisedEmail Email);

/// <summary>Renders each campaign's email once per process and keeps it while its batches run.</summary>
public sealed class CampaignContentCache(
    IDbContextFactory<NewsletterDb> dbs, EmailComposer composer, IOptions<NewsletterOptions> options, IMemoryCache cache)
{
    public async Task<CampaignContent> GetAsync(long campaignId, CancellationToken ct) =>
        (await cache.GetOrCreateAsync(("campaign-content", campaignId), async entry =>
        {
            entry.SlidingExpiration = TimeSpan.FromMinutes(10);
            await using var db = await dbs.CreateDbContextAsync(ct);
            var article = await (from c in db.Campaigns
                                 join a in db.Articles on c.ArticleId equals a.Id
                                 where c.Id == campaignId
                                 select a).AsNoTracking().FirstOrDefaultAsync(ct)
                          ?? throw new InvalidOperationException($"Campaign {campaignId} has no article.");
            return await ForArticleAsync(article, ct);
        }))!;

    public async Task<CampaignContent> ForArticleAsync(Article article, CancellationToken ct)
    {
        var (standfirst, body) = ArticleMarkdown.ToStandfirstAndRest(article.Body);
        var newsletter = options.Value;
        var email = await composer.PrepareAsync("Article", slots => new ArticleEmail
        {
            NewsletterName = newsletter.FromName,
            BaseUrl = newsletter.BaseUrl,
            Preheader = ArticleMarkdown.Standfirst(article.Body),
            RecipientName = slots?.RecipientName,
            UnsubscribeUrl = EmailSlots.UnsubscribeUrl,
            PreferencesUrl = EmailSlots.PreferencesUrl,
            Title = article.Title,
            Byline = article.Byline,
            ImageCredit = article.ImageCredit,
            PublishedAt = article.PublishedAt,
            StandfirstHtml = standfirst,
            BodyHtml = body,
        }, ct);
        return new CampaignContent(article.Title, email);
    }
}
