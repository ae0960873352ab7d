using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;
using NewsletterService.Subscriptions;

namespace NewsletterService.Articles;

/// <summary>
/// An article campaign: every confirmed reader who takes each article as it comes (and is on one of the campaign's lists
/// when it has any) gets the same email, rendered once per process and kept while the campaign's batches run.
/// </summary>
public sealed class ArticleCampaignKind(EmailComposer composer, IOptions<NewsletterOptions> options, IMemoryCache cache) : ICampaignKind
{
    public CampaignKind Kind => CampaignKind.Article;

    public Task WriteLedgerAsync(NewsletterDb db, Campaign campaign, CancellationToken ct)
    {
        var ledger = $$"""
            INSERT INTO "Deliveries" ("CampaignId", "SubscriberId", "Status", "Attempts")
            SELECT {0}, s."Id", {1}, 0 FROM "Subscribers" AS s
            WHERE {{Audience.ArticleReadersSql}} AND {{Audience.OnListsOf("CampaignLists", "CampaignId", "{0}")}}
            ON CONFLICT ("CampaignId", "SubscriberId") DO NOTHING
            """; // only constants spliced in; the values are parameters
        return db.Database.ExecuteSqlRawAsync(ledger, [campaign.Id, nameof(DeliveryStatus.Pending)], ct);
    }

    public async Task<Func<Recipient, CampaignContent?>> ContentForAsync(NewsletterDb db, Campaign campaign,
        IReadOnlyList<Recipient> recipients, CancellationToken ct)
    {
        var content = await cache.GetOrCreateAsync(("campaign-content", campaign.Id), async entry =>
        {
            entry.SlidingExpiration = TimeSpan.FromMinutes(10);
            var article = await db.Articles.AsNoTracking().FirstAsync(a => a.Id == campaign.ArticleId, ct);
            return await RenderAsync(article, ct);
        });
        return _ => content;
    }

    /// <summary>The article's email (also its preview and test send).</summary>
    public async Task<CampaignContent> RenderAsync(Article article, CancellationToken ct)
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
