using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;
using NewsletterService.Security;
using NewsletterService.Subscriptions;

namespace NewsletterService.Articles;

/// <summary>
/// An article campaign: every confirmed reader who takes each article as it comes (and is on one of the campaign's lists
/// when it has any) gets the same email, rendered once per process and kept while the campaign's batches run. An article
/// imported from a feed together with others (one poll, one campaign: see <see cref="Feeds.FeedPoller"/>) lists them at its end.
/// </summary>
public sealed class ArticleCampaignKind(
    EmailComposer composer, IOptions<NewsletterOptions> options, IMemoryCache cache, IServiceScopeFactory scopes, LinkTokens tokens)
    : ICampaignKind
{
    /// <summary>At most this many of the other items of a poll are listed in the mail.</summary>
    public const int MaxAlsoNew = 20;

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
            var article = await ArticleStore.ReadAsync(db, campaign.ArticleId ?? 0, ct) ??
                throw new InvalidOperationException($"Campaign {campaign.Id}'s article is gone.");
            return await RenderAsync(article, ct);
        });
        return _ => content;
    }

    /// <summary>The article's email (also its preview and test send).</summary>
    public async Task<CampaignContent> RenderAsync(Article article, CancellationToken ct)
    {
        var newsletter = options.Value;
        var (standfirst, body) = ArticleMarkdown.ToStandfirstAndRest(article.Body + await AlsoNewAsync(article, newsletter, ct));
        var email = await composer.PrepareAsync("Article", slots => new ArticleEmail
        {
            NewsletterName = newsletter.FromName,
            BaseUrl = newsletter.BaseUrl,
            Preheader = article.Preheader ?? ArticleMarkdown.Standfirst(article.Body),
            RecipientName = slots?.RecipientName,
            UnsubscribeUrl = EmailSlots.UnsubscribeUrl,
            PreferencesUrl = EmailSlots.PreferencesUrl,
            Title = article.Title,
            Byline = ArticleByline.Normalise(article.Byline),
            ImageCredit = article.ImageCredit,
            PublishedAt = article.PublishedAt,
            StandfirstHtml = standfirst,
            BodyHtml = body,
        }, ct);
        return new CampaignContent(article.Subject ?? article.Title, email);
    }

    /// <summary>For a feed article (not backlog): the other published items its poll imported, as Markdown links; else "".</summary>
    private async Task<string> AlsoNewAsync(Article article, NewsletterOptions newsletter, CancellationToken ct)
    {
        if (article.IsBacklog || Feeds.FeedPoller.FeedOf(article.SourceKey) is not { } prefix) return "";
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDb>();
        var query = db.Articles.AsNoTracking().Include(a => a.Lists)
            .Where(a => a.Id != article.Id && a.CreatedAt == article.CreatedAt && a.UnpublishedAt == null)
            .Where(a => a.SourceKey!.StartsWith(prefix));
        var others = await query.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(MaxAlsoNew).ToListAsync(ct);
        if (others.Count == 0) return "";
        var items = others.Select(a =>
            $"- [{ArticleMarkdown.Literal(a.Title)}](<{SafeUrl.WebAddress(a.SourceUrl) ?? ArticlePages.Url(a, newsletter, tokens)}>)");
        var all = others.Count < MaxAlsoNew ? others.Count : await query.CountAsync(ct);
        var more = all > MaxAlsoNew ? $"\n- …and {all - MaxAlsoNew} more" : "";
        return $"\n\n**Also new:**\n\n{string.Join('\n', items)}{more}\n";
    }
}
