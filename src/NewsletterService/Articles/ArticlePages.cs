using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;

namespace NewsletterService.Articles;

/// <summary><c>GET /articles/{id}</c>: the web version of an article, where digests link to.</summary>
public static class ArticlePages
{
    public static WebApplication MapArticlePages(this WebApplication app)
    {
        app.MapGet("/articles/{id:long}", async (long id, NewsletterDb db, EmailComposer composer, IOptions<NewsletterOptions> options, CancellationToken ct) =>
        {
            if (await db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is not { } article) return Results.NotFound();
            var (standfirst, body) = ArticleMarkdown.ToStandfirstAndRest(article.Body);
            var page = await composer.ComposeAsync("Article", new ArticleEmail
            {
                NewsletterName = options.Value.FromName, BaseUrl = options.Value.BaseUrl, Title = article.Title, Byline = article.Byline,
                ImageCredit = article.ImageCredit, PublishedAt = article.PublishedAt, StandfirstHtml = standfirst, BodyHtml = body,
            }, ct);
            return Results.Content(page.Html, "text/html; charset=utf-8");
        });
        return app;
    }
}
