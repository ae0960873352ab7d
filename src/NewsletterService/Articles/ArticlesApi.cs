using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Audit;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;
using NewsletterService.Security;

namespace NewsletterService.Articles;

public static class ArticlesApi
{
    /// <summary><paramref name="State"/>: "published" or "unpublished".</summary>
    public sealed record ArticleView(long Id, string Title, string? Byline, string? ImageCredit, string? Subject, string? Preheader,
        string Body, string Standfirst, DateTime PublishedAt, DateTime CreatedAt, string State, DateTime? UnpublishedAt)
    {
        public static ArticleView Of(Article a) => new(a.Id, a.Title, ArticleByline.Normalise(a.Byline), a.ImageCredit, a.Subject,
            a.Preheader, a.Body, ArticleMarkdown.Standfirst(a.Body), a.PublishedAt, a.CreatedAt,
            a.IsPublished ? "published" : "unpublished", a.UnpublishedAt);
    }

    public static RouteGroupBuilder MapArticlesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/articles");
        group.MapPost("/", async (ArticleStore.Input? input, NewsletterDb db, TimeProvider time, CancellationToken ct) =>
            Created(await ArticleStore.CreateAsync(db, time, input, ct))).WithIdempotencyKey().RequirePermission(Permission.Prepare);
        group.MapPost("/import", ImportAsync).Accepts<string>("text/plain").WithIdempotencyKey().RequirePermission(Permission.Prepare);
        group.MapGet("/", ListAsync).RequirePermission(Permission.Read);
        group.MapGet("/{id:long}", async (long id, NewsletterDb db, CancellationToken ct) =>
            await db.Articles.FindAsync([id], ct) is { } a
                ? Results.Ok(ArticleView.Of(a))
                : Problems.NotFound($"There is no article {id}.")).RequirePermission(Permission.Read);
        group.MapPut("/{id:long}", async (long id, ArticleStore.Input? input, NewsletterDb db, CancellationToken ct) =>
            (await ArticleStore.UpdateAsync(db, id, input, ct)).Answer(a => Results.Ok(ArticleView.Of(a))))
            .RequirePermission(Permission.Prepare);
        group.MapDelete("/{id:long}", DeleteAsync).RequirePermission(Permission.Prepare);
        group.MapPost("/{id:long}/unpublish", async (long id, NewsletterDb db, TimeProvider time, CancellationToken ct) =>
            (await ArticleStore.UnpublishAsync(db, time, id, ct)).Answer(a => Results.Ok(ArticleView.Of(a))))
            .RequirePermission(Permission.Prepare);
        group.MapPost("/{id:long}/publish", async (long id, NewsletterDb db, CancellationToken ct) =>
            (await ArticleStore.PublishAsync(db, id, ct)).Answer(a => Results.Ok(ArticleView.Of(a)))).RequirePermission(Permission.Prepare);
        group.MapGet("/{id:long}/preview", PreviewAsync).RequirePermission(Permission.Read);
        return api;
    }

    private static async Task<IResult> DeleteAsync(long id, NewsletterDb db, AuditLog audit, CancellationToken ct)
    {
        var title = await db.Articles.Where(a => a.Id == id).Select(a => a.Title).FirstOrDefaultAsync(ct);
        if (await ArticleStore.DeleteAsync(db, id, ct) is { } refusal) return refusal.Problem();
        await audit.RecordAsync("article.delete", $"article {id}", new { title });
        return Results.NoContent();
    }

    private static async Task<IResult> ImportAsync(
        HttpRequest request, NewsletterDb db, TimeProvider time, AuditLog audit, CancellationToken ct)
    {
        if (request.ContentType is not { } type || !type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
            return Results.Problem(statusCode: 415, detail: "Send the article as 'Content-Type: text/plain; charset=utf-8'.");
        if (request.ContentLength > ArticleStore.MaxImportSize) return ArticleStore.TooLarge.Problem();

        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[ArticleStore.MaxImportSize + 1];
        var length = await reader.ReadBlockAsync(buffer, ct);
        var imported = await ArticleStore.ImportAsync(db, time, new string(buffer, 0, length), ct);
        if (imported.Value is { } article) await audit.RecordAsync("article.import", $"article {article.Id}", new { article.Title });
        return Created(imported);
    }

    private static IResult Created(Outcome<Article> outcome) =>
        outcome.Answer(a => Results.Created($"/api/articles/{a.Id}", ArticleView.Of(a)));

    private static async Task<Ok<object>> ListAsync(NewsletterDb db, CancellationToken ct, int page = 1, int pageSize = 50)
    {
        (page, pageSize) = Paging.Clamp(page, pageSize);
        var items = await db.Articles.AsNoTracking().OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Skip(Paging.Skip(page, pageSize)).Take(pageSize).ToListAsync(ct);
        return TypedResults.Ok<object>(
            new { page, pageSize, total = await db.Articles.CountAsync(ct), items = items.Select(ArticleView.Of) });
    }

    /// <summary>The email exactly as a subscriber without a name on file receives it (links point nowhere).</summary>
    public static async Task<IResult> PreviewAsync(long id, NewsletterDb db, ArticleCampaignKind articles, CancellationToken ct)
    {
        if (await ArticleStore.ReadAsync(db, id, ct) is not { } article)
            return Problems.NotFound($"There is no article {id}.");
        var content = await articles.RenderAsync(article, ct);
        return Results.Content(
            content.Email.For(new RecipientValues(null, "#unsubscribe", "#preferences")).Html, "text/html; charset=utf-8");
    }
}
