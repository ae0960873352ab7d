using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Subscriptions;

public static class SubscribersApi
{
    public sealed record SubscriberView(
        long Id, string Email, string? Name, SubscriberStatus Status, Cadence Cadence, IEnumerable<string> Lists, DateTime CreatedAt,
        DateTime? ConfirmedAt)
    {
        /// <summary>Needs the subscriber's memberships with their lists loaded (<see cref="WithLists"/>).</summary>
        public static SubscriberView Of(Subscriber s) =>
            new(s.Id, s.Email, s.Name, s.Status, s.Cadence, s.Memberships.Select(m => m.List!.Slug).Order(), s.CreatedAt, s.ConfirmedAt);
    }

    private static IQueryable<Subscriber> WithLists(this IQueryable<Subscriber> query) =>
        query.Include(s => s.Memberships).ThenInclude(m => m.List);

    public static RouteGroupBuilder MapSubscribersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/subscribers");
        group.MapPost("/import", ImportAsync).Accepts<string>("text/csv").WithMetadata(new RequestSizeLimitAttribute(256L * 1024 * 1024))
            .RequirePermission(Permission.ManageSubscribers);
        group.MapGet("/", ListAsync).RequirePermission(Permission.Read);
        group.MapGet("/{id:long}", async (long id, NewsletterDb db, CancellationToken ct) =>
            await db.Subscribers.WithLists().FirstOrDefaultAsync(s => s.Id == id, ct) is { } s
                ? Results.Ok(SubscriberView.Of(s))
                : Problems.NotFound($"There is no subscriber {id}.")).RequirePermission(Permission.Read);
        return api;
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, SubscriberImport import, CancellationToken ct)
    {
        if (request.ContentType is not { } type ||
            !(type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) ||
                type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)))
            return Results.Problem(statusCode: 415,
                detail: "Send the subscribers as 'Content-Type: text/csv' with a header row 'email,name' " +
                    "(optionally also 'lists' and 'cadence').");
        try
        {
            return Results.Ok(await import.ImportAsync(request.Body, ct));
        }
        catch (SubscriberImport.FormatError e)
        {
            return Problems.Invalid(e.Field, e.Message);
        }
    }

    private static async Task<IResult> ListAsync(NewsletterDb db, CancellationToken ct, string? status = null, string? search = null,
        string? list = null, string? cadence = null, int page = 1, int pageSize = 50)
    {
        (page, pageSize) = Paging.Clamp(page, pageSize);
        var filter = SubscriberSearch.From(status, search, list, cadence);
        if (!string.IsNullOrEmpty(status) && filter.Status is null)
            return Problems.Invalid("status", $"status must be one of: {Names<SubscriberStatus>()}.");
        if (!string.IsNullOrEmpty(cadence) && filter.Cadence is null)
            return Problems.Invalid("cadence", $"cadence must be one of: {Names<Cadence>()}.");
        var query = filter.Apply(db.Subscribers.AsNoTracking().WithLists());
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(s => s.Id).Skip(Paging.Skip(page, pageSize)).Take(pageSize).ToListAsync(ct);
        return Results.Ok(new { page, pageSize, total, items = items.Select(SubscriberView.Of) });
    }

    private static string Names<T>() where T : struct, Enum => string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
}
