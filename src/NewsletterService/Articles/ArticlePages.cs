using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;
using NewsletterService.Security;

namespace NewsletterService.Articles;

/// <summary>
/// <c>GET /articles/{id}</c>: the web version of an article, where digests link to. Only what is public: an article whose
/// publication time has come and that is not unpublished, meant for everyone, or meant for some lists and opened with the
/// signed link their readers got (<see cref="Url"/>). Anything else, and a missing id, is the same 404. The page is the
/// article's email as a web page (<see cref="WebPage"/>): no greeting, the headline in its title and Open Graph tags, a way
/// to subscribe.
/// </summary>
public static class ArticlePages
{
    public static WebApplication MapArticlePages(this WebApplication app)
    {
        app.MapGet("/articles/{id:long}", ShowAsync);
        return app;
    }

    /// <summary>The public address of an article; a list-only article's carries a token that opens it.</summary>
    public static string Url(Article article, NewsletterOptions newsletter, LinkTokens tokens) =>
        newsletter.PublicUrl($"/articles/{article.Id}") +
        (article.Lists.Count == 0 ? "" : "?token=" + tokens.Create(TokenPurpose.Article, article.Id));

    private static async Task<IResult> ShowAsync(
        long id, string? token, NewsletterDb db, EmailComposer composer,
        IOptions<NewsletterOptions> options, LinkTokens tokens, TimeProvider time, CancellationToken ct)
    {
        var article = await db.Articles.AsNoTracking().Include(a => a.Lists).FirstOrDefaultAsync(a => a.Id == id, ct);
        if (article is null || !article.IsPublished || article.AvailableAt > time.GetUtcNow().UtcDateTime) return Results.NotFound();
        if (article.Lists.Count > 0 && !(tokens.TryRead(token, TokenPurpose.Article, out var signedId) && signedId == id))
            return Results.NotFound();

        var (standfirst, body) = ArticleMarkdown.ToStandfirstAndRest(article.Body);
        var page = await composer.ComposeAsync("Article", new ArticleEmail
        {
            NewsletterName = options.Value.FromName, BaseUrl = options.Value.BaseUrl, Title = article.Title,
            Byline = ArticleByline.Normalise(article.Byline),
            ImageCredit = article.ImageCredit, PublishedAt = article.PublishedAt, StandfirstHtml = standfirst, BodyHtml = body,
            Web = new WebPage(article.Title, ArticleMarkdown.Standfirst(article.Body), Url(article, options.Value, tokens),
                options.Value.PublicUrl("/subscribe")),
        }, ct);
        return Results.Content(page.Html, "text/html; charset=utf-8");
    }
}
