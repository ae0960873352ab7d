using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Subscriptions;

namespace NewsletterService.Articles;

/// <summary>
/// Writes articles, one way for the API, the dashboard and the sample: every field checked by <see cref="ArticleValidation"/>,
/// lists named by slug (none: every subscriber). An update that names no lists keeps the article's.
/// </summary>
public static class ArticleStore
{
    /// <summary><paramref name="Lists"/>: slugs of the lists the article is for.</summary>
    public sealed record Input(
        string? Title, string? Byline, string? ImageCredit, string? Body, DateTimeOffset? PublishedAt, string[]? Lists = null);

    /// <summary>1 MiB: of an imported text's characters, or of the file or request it comes in.</summary>
    public const int MaxImportSize = 1024 * 1024;
    public static Refusal TooLarge => Refusal.Invalid("body", "The article is larger than 1 MiB.");

    public static Task<Outcome<Article>> CreateAsync(NewsletterDb db, TimeProvider time, Input? input, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return SaveAsync(db, new Article { Title = "", Body = "", PublishedAt = now, CreatedAt = now }, input, ct);
    }

    public static async Task<Outcome<Article>> UpdateAsync(NewsletterDb db, long id, Input? input, CancellationToken ct) =>
        await db.Articles.Include(a => a.Lists).FirstOrDefaultAsync(a => a.Id == id, ct) is { } article
            ? await SaveAsync(db, article, input, ct) : Refusal.NotFound($"There is no article {id}.");

    /// <summary>Creates an article from the plain text editors paste (see <see cref="PlainTextArticle"/>).</summary>
    public static async Task<Outcome<Article>> ImportAsync(NewsletterDb db, TimeProvider time, string text, CancellationToken ct)
    {
        if (text.Length > MaxImportSize) return TooLarge;
        if (!PlainTextArticle.TryParse(text, out var parsed, out var errors)) return Refusal.Invalid(errors);
        return await CreateAsync(db, time, new Input(parsed.Title, null, parsed.ImageCredit, parsed.Body, null), ct);
    }

    private static async Task<Outcome<Article>> SaveAsync(NewsletterDb db, Article article, Input? input, CancellationToken ct)
    {
        if (!ArticleValidation.TryValidate(input, out var errors)) return Refusal.Invalid(errors);
        var listIds = article.Lists.Select(l => l.ListId).ToArray();
        var lists = input!.Lists is null ? null : await SubscriptionChoices.ListsBySlugAsync(db, ct);
        if (lists is not null && !SubscriptionChoices.TryResolveLists(lists, input.Lists, out listIds, out var error))
            return Refusal.Invalid("lists", error);
        article.Title = input.Title!.Trim();
        article.Byline = Blank(input.Byline);
        article.ImageCredit = Blank(input.ImageCredit);
        article.Body = input.Body!.Trim();
        if (input.PublishedAt is { } published) article.PublishedAt = published.UtcDateTime;
        article.Lists.RemoveAll(l => !listIds.Contains(l.ListId));
        article.Lists.AddRange(listIds.Except(article.Lists.Select(l => l.ListId)).Select(id => new ArticleList { ListId = id }).ToList());
        if (article.Id == 0) db.Articles.Add(article);
        await db.SaveChangesAsync(ct);
        return article;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
