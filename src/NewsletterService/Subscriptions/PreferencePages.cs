using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Subscriptions;

/// <summary>
/// The preference centre behind <c>/preferences/{token}</c>: name, lists and cadence; download my data; delete me, in two
/// steps: <c>GET …/delete</c> (and a POST without <c>confirm=yes</c>) only shows what deleting means, the confirming POST erases.
/// </summary>
public static class PreferencePages
{
    public static RouteGroupBuilder MapPreferencePages(this RouteGroupBuilder pages)
    {
        var group = pages.MapGroup("/preferences/{token}").RequireRateLimiting(SubscriptionsRegistration.LinkPolicy);
        group.MapGet("/", async (string token, LinkTokens tokens, NewsletterDb db, CancellationToken ct) =>
            await FindAsync(token, tokens, db, ct) is { } s
                ? await FormAsync(db, token, s, [], saved: false, ct)
                : SubscriptionsApi.InvalidLink());
        group.MapPost("/", SaveAsync);
        group.MapGet("/data", DownloadAsync);
        group.MapGet("/delete", async (string token, LinkTokens tokens, NewsletterDb db, CancellationToken ct) =>
            await FindAsync(token, tokens, db, ct) is { } s ? ConfirmDelete(token, s) : SubscriptionsApi.InvalidLink());
        group.MapPost("/delete", DeleteAsync);
        return pages;
    }

    private static async Task<Subscriber?> FindAsync(string token, LinkTokens tokens, NewsletterDb db, CancellationToken ct) =>
        tokens.TryRead(token, TokenPurpose.Preferences, out var id)
            ? await db.Subscribers.Include(s => s.Memberships).ThenInclude(m => m.List).FirstOrDefaultAsync(s => s.Id == id, ct)
            : null;

    private static async Task<IResult> SaveAsync(
        string token, [FromForm] SubscribeRequest form, HttpRequest request, LinkTokens tokens, NewsletterDb db, CancellationToken ct)
    {
        if (await FindAsync(token, tokens, db, ct) is not { } subscriber) return SubscriptionsApi.InvalidLink();
        var errors = new Dictionary<string, string[]>();
        var choices = await SubscriptionChoices.ReadAsync(db, form, errors, ct);
        if (errors.Count == 0)
        {
            subscriber.Apply(choices);
            subscriber.TrackingOff = request.Form["noTracking"] == "true";
            await db.SaveChangesAsync(ct);
            subscriber = (await FindAsync(token, tokens, db, ct))!;
        }
        return await FormAsync(db, token, subscriber, errors, saved: errors.Count == 0, ct);
    }

    private static async Task<IResult> FormAsync(
        NewsletterDb db, string token, Subscriber s, Dictionary<string, string[]> errors, bool saved, CancellationToken ct) =>
        PublicPage.Show<PreferencesPage>(
            new
            {
                Token = token, Subscriber = s, Lists = (await SubscriptionChoices.ListsBySlugAsync(db, ct)).Values, Errors = errors,
                Saved = saved,
            },
            errors.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);

    private static async Task<IResult> DownloadAsync(
        string token, HttpContext http, LinkTokens tokens, NewsletterDb db, CancellationToken ct)
    {
        if (await FindAsync(token, tokens, db, ct) is not { } s) return SubscriptionsApi.InvalidLink();
        var deliveries = await db.Deliveries.AsNoTracking().Where(d => d.SubscriberId == s.Id).OrderBy(d => d.Id)
            .Select(d => new { d.CampaignId, d.Status, d.SentAt }).ToListAsync(ct);
        http.Response.Headers.ContentDisposition = "attachment; filename=\"my-newsletter-data.json\"";
        return Results.Json(new
        {
            s.Email, s.Name, s.Status, s.Cadence, s.CreatedAt, s.ConfirmedAt, s.UnsubscribedAt,
            Lists = s.Memberships.Select(m => new { m.List!.Slug, m.List.Name }),
            Deliveries = deliveries,
        });
    }

    private static IResult ConfirmDelete(string token, Subscriber s) => PublicPage.Show<ConfirmDeletePage>(new { Token = token, s.Email });

    /// <summary>
    /// Only with <c>confirm=yes</c> (the confirm page's button): erases the subscriber (memberships go with it) and keeps the
    /// address only as a hash on the suppression list.
    /// </summary>
    private static async Task<IResult> DeleteAsync(
        string token, [FromForm] IFormCollection form, LinkTokens tokens, NewsletterDb db, TimeProvider time, ILoggerFactory logs,
        CancellationToken ct)
    {
        if (!tokens.TryRead(token, TokenPurpose.Preferences, out var id)) return SubscriptionsApi.InvalidLink();
        if (form["confirm"] != "yes")
            return await FindAsync(token, tokens, db, ct) is { } s ? ConfirmDelete(token, s) : SubscriptionsApi.InvalidLink();
        if (await SubscriberTransitions.EraseAndSuppressAsync(db, id, time.GetUtcNow().UtcDateTime, ct))
            logs.CreateLogger(typeof(PreferencePages)).LogInformation("Subscriber {SubscriberId} erased at their request", id);
        return PublicPage.Show("Your data is deleted", "We hold nothing about you any more, and you will receive no more mail from us.");
    }
}
