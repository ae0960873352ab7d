using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;
using NewsletterService.Subscriptions;

namespace NewsletterService.Articles;

public static class ArticlesApi
{
    public sealed record ArticleInput(string? Title, string? Byline, string? ImageCredit, string? Body, DateTimeOffset? PublishedAt, string[]? Lists = null);

    public sealed record ArticleView(long Id, string Title, string? Byline, string? ImageCredit, string Body, string Standfirst, DateTime PublishedAt, DateTime CreatedAt)
    {
        public static ArticleView Of(Article a) =>
            new(a.Id, a.Title, a.Byline, a.ImageCredit, a.Body, ArticleMarkdown.Standfirst(a.Body), a.PublishedAt, a.CreatedAt);
    }

    private const int MaxImportBytes = 1024 * 1024;

    public static RouteGroupBuilder MapArticlesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/articles");
        group.MapPost("/", CreateAsync);
        group.MapPost("/import", ImportAsync).Accepts<string>("text/plain");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:long}", async (long id, NewsletterDb db, CancellationToken ct) =>
            await db.Articles.FindAsync([id], ct) is { } a ? Results.Ok(ArticleView.Of(a)) : Problems.NotFound($"There is no article {id}."));
        group.MapPut("/{id:long}", UpdateAsync);
        group.MapGet("/{id:long}/preview", PreviewAsync);
        return api;
    }

    public static async Task<IResult> CreateAsync(ArticleInput? input, NewsletterDb db, TimeProvider time, CancellationToken ct)
    {
        if (!ArticleValidation.TryValidate(input, out var errors)) return Problems.Invalid(errors);
        if (!SubscriptionChoices.TryResolveLists(await SubscriptionChoices.ListsBySlugAsync(db, ct), input!.Lists, out var listIds, out var error))
            return Problems.Invalid("lists", error);
        var now = time.GetUtcNow().UtcDateTime;
        var article = new Article
        {
            Title = input.Title!.Trim(), Byline = Blank(input.Byline), ImageCredit = Blank(input.ImageCredit), Body = input.Body!.Trim(),
            PublishedAt = input.PublishedAt?.UtcDateTime ?? now, CreatedAt = now,
            Lists = listIds.Select(id => new ArticleList { ListId = id }).ToList(),
        };
        db.Articles.Add(article);
        await db.SaveChangesAsync(ct);
        return Results.Created($"/api/articles/{article.Id}", ArticleView.Of(article));
    }

    public static async Task<IResult> UpdateAsync(long id, ArticleInput? input, NewsletterDb db, CancellationToken ct)
    {
        if (await db.Articles.FindAsync([id], ct) is not { } article) return Problems.NotFound($"There is no article {id}.");
        if (!ArticleValidation.TryValidate(input, out var errors)) return Problems.Invalid(errors);
        article.Title = input!.Title!.Trim();
        article.Byline = Blank(input.Byline);
        article.ImageCredit = Blank(input.ImageCredit);
        article.Body = input.Body!.Trim();
        if (input.PublishedAt is { } published) article.PublishedAt = published.UtcDateTime;
        await db.SaveChangesAsync(ct);
        return Results.Ok(ArticleView.Of(article));
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, NewsletterDb db, TimeProvider time, CancellationToken ct)
    {
        if (request.ContentType is not { } type || !type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
            return Results.Problem(statusCode: 415, detail: "Send the article as 'Content-Type: text/plain; charset=utf-8'.");
        if (request.ContentLength > MaxImportBytes)
            return Problems.Invalid("body", "The article is larger than 1 MiB.");

        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[MaxImportBytes + 1];
        var length = await reader.ReadBlockAsync(buffer, ct);
        if (length > MaxImportBytes) return Problems.Invalid("body", "The article is larger than 1 MiB.");

        if (!PlainTextArticle.TryParse(new string(buffer, 0, length), out var parsed, out var errors)) return Problems.Invalid(errors);
        var now = time.GetUtcNow().UtcDateTime;
        var article = new Article { Title = parsed.Title, ImageCredit = parsed.ImageCredit, Body = parsed.Body, PublishedAt = now, CreatedAt = now };
        db.Articles.Add(article);
        await db.SaveChangesAsync(ct);
        return Results.Created($"/api/articles/{article.Id}", ArticleView.Of(article));
    }

    private static async Task<Ok<object>> ListAsync(NewsletterDb db, CancellationToken ct, int page = 1, int pageSize = 50)
    {
        (page, pageSize) = Paging.Clamp(page, pageSize);
        var items = await db.Articles.AsNoTracking().OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Skip(Paging.Skip(page, pageSize)).Take(pageSize).ToListAsync(ct);
        return TypedResults.Ok<object>(new { page, pageSize, total = await db.Articles.CountAsync(ct), items = items.Select(ArticleView.Of) });
    }

    /// <summary>The email exactly as a subscriber without a name on file receives it (links point nowhere).</summary>
    public static async Task<IResult> PreviewAsync(long id, NewsletterDb db, CampaignContentCache contents, CancellationToken ct)
    {
        if (await db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is not { } article)
            return Problems.NotFound($"There is no article {id}.");
        var content = await contents.ForArticleAsync(article, ct);
        return Results.Content(content.Email.For(new RecipientValues(null, "#unsubscribe", "#preferences")).Html, "text/html; charset=utf-8");
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
