using Microsoft.EntityFrameworkCore;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Subscriptions;

namespace NewsletterService.Articles;

/// <summary>
/// Writes articles, one way for the API, the dashboard and the sample: every field checked by <see cref="ArticleValidation"/>,
/// lists named by slug (none: every subscriber). An update that names no lists, or no publish date, keeps the article's.
/// </summary>
public static class ArticleStore
{
    /// <summary><paramref name="Lists"/>: slugs of the lists the article is for.</summary>
    public sealed record Input(string? Title, string? Byline, string? ImageCredit, string? Body, DateTimeOffset? PublishedAt,
        string[]? Lists = null, string? Subject = null, string? Preheader = null);

    /// <summary>1 MiB: of an imported text's characters, or of the file or request it comes in.</summary>
    public const int MaxImportSize = 1024 * 1024;
    public static Refusal TooLarge => Refusal.Invalid("body", "The article is larger than 1 MiB.");

    /// <summary>An article as it is now, not tracked; null when there is none.</summary>
    public static Task<Article?> ReadAsync(NewsletterDb db, long id, CancellationToken ct) =>
        db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);

    public static Task<Outcome<Article>> CreateAsync(NewsletterDb db, TimeProvider time, Input? input, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return SaveAsync(db, new Article { Title = "", Body = "", PublishedAt = now, CreatedAt = now }, input, ct);
    }

    public static async Task<Outcome<Article>> UpdateAsync(NewsletterDb db, long id, Input? input, CancellationToken ct) =>
        await db.Articles.Include(a => a.Lists).FirstOrDefaultAsync(a => a.Id == id, ct) is { } article
            ? await SaveAsync(db, article, input, ct) : Missing(id);

    /// <summary>Creates an article from the plain text editors paste (see <see cref="PlainTextArticle"/>).</summary>
    public static async Task<Outcome<Article>> ImportAsync(NewsletterDb db, TimeProvider time, string text, CancellationToken ct)
    {
        if (text.Length > MaxImportSize) return TooLarge;
        if (!PlainTextArticle.TryParse(text, out var parsed, out var errors)) return Refusal.Invalid(errors);
        return await CreateAsync(db, time, new Input(parsed.Title, null, parsed.ImageCredit, parsed.Body, null), ct);
    }

    /// <summary>Takes the article back (off the web, out of digests, not sendable); refused while a campaign of it is to send.</summary>
    public static async Task<Outcome<Article>> UnpublishAsync(NewsletterDb db, TimeProvider time, long id, CancellationToken ct)
    {
        if (await db.Articles.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } article) return Missing(id);
        var pending = await db.Campaigns.Where(c => c.ArticleId == id
                && (c.Status == CampaignStatus.Scheduled || c.Status == CampaignStatus.Sending || c.Status == CampaignStatus.Paused))
            .Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
        if (pending is { } campaignId)
            return Refusal.Conflict($"“{article.Title}” is still to be sent by campaign {campaignId}: cancel that campaign first.");
        article.UnpublishedAt ??= time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return article;
    }

    public static async Task<Outcome<Article>> PublishAsync(NewsletterDb db, long id, CancellationToken ct)
    {
        if (await db.Articles.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } article) return Missing(id);
        article.UnpublishedAt = null;
        await db.SaveChangesAsync(ct);
        return article;
    }

    /// <summary>
    /// Deletes an article no campaign used: one that went out (as itself, or possibly in a digest that covered its time) stays,
    /// since readers' mails link to it; unpublishing takes it off the web instead.
    /// </summary>
    public static async Task<Refusal?> DeleteAsync(NewsletterDb db, long id, CancellationToken ct)
    {
        if (await db.Articles.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } article) return Missing(id);
        var (available, unpublished) = (article.AvailableAt, article.UnpublishedAt);
        var used = await db.Campaigns
            .Where(c => c.ArticleId == id || (c.Kind == CampaignKind.Digest && c.DigestUpTo >= available
                && (unpublished == null || c.CreatedAt < unpublished)))
            .OrderBy(c => c.Id).Select(c => new { c.Id, c.Kind }).FirstOrDefaultAsync(ct);
        if (used is not null)
            return Refusal.Conflict($"“{article.Title}” was used by {(used.Kind == CampaignKind.Digest ? "digest " : "")}"
                + $"campaign {used.Id}, and readers' mails link to it, so it cannot be deleted: unpublish it instead.");
        db.Articles.Remove(article);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Why the article cannot be sent (missing, or unpublished), keyed <c>articleId</c>; null when it can.</summary>
    public static async Task<Refusal?> RefuseSendingAsync(NewsletterDb db, long articleId, CancellationToken ct) =>
        await db.Articles.Where(a => a.Id == articleId).Select(a => new { a.Title, a.UnpublishedAt }).FirstOrDefaultAsync(ct) switch
        {
            null => Refusal.Invalid("articleId", $"There is no article {articleId}."),
            { UnpublishedAt: not null } a => Refusal.Invalid("articleId",
                $"Article {articleId} (“{a.Title}”) is unpublished: publish it again before sending it."),
            _ => null,
        };

    private static async Task<Outcome<Article>> SaveAsync(NewsletterDb db, Article article, Input? input, CancellationToken ct)
    {
        if (!ArticleValidation.TryValidate(input, out var errors)) return Refusal.Invalid(errors);
        var listIds = article.Lists.Select(l => l.ListId).ToArray();
        var lists = input!.Lists is null ? null : await SubscriptionChoices.ListsBySlugAsync(db, ct);
        if (lists is not null && !SubscriptionChoices.TryResolveLists(lists, input.Lists, out listIds, out var error))
            return Refusal.Invalid("lists", error);
        article.Title = input.Title!.Trim();
        article.Byline = ArticleByline.Normalise(input.Byline);
        article.ImageCredit = Blank(input.ImageCredit);
        article.Body = input.Body!.Trim();
        article.Subject = Blank(input.Subject);
        article.Preheader = Blank(input.Preheader);
        if (input.PublishedAt is { } published) article.PublishedAt = published.UtcDateTime;
        article.Lists.RemoveAll(l => !listIds.Contains(l.ListId));
        article.Lists.AddRange(listIds.Except(article.Lists.Select(l => l.ListId)).Select(id => new ArticleList { ListId = id }).ToList());
        if (article.Id == 0) db.Articles.Add(article);
        await db.SaveChangesAsync(ct);
        return article;
    }

    private static Refusal Missing(long id) => Refusal.NotFound($"There is no article {id}.");

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
