using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Subscriptions;

/// <summary>The preference centre behind <c>/preferences/{token}</c>: name, lists and cadence; download my data; delete me.</summary>
public static class PreferencePages
{
    public static RouteGroupBuilder MapPreferencePages(this RouteGroupBuilder pages)
    {
        var group = pages.MapGroup("/preferences/{token}").RequireRateLimiting(SubscriptionsRegistration.LinkPolicy);
        group.MapGet("/", async (string token, HttpContext http, LinkTokens tokens, NewsletterDb db, CancellationToken ct) =>
            await FindAsync(token, tokens, db, ct) is { } s ? await FormAsync(http, db, token, s, [], saved: false, ct) : SubscriptionsApi.InvalidLink());
        group.MapPost("/", SaveAsync);
        group.MapGet("/data", DownloadAsync);
        group.MapPost("/delete", DeleteAsync);
        return pages;
    }

    private static async Task<Subscriber?> FindAsync(string token, LinkTokens tokens, NewsletterDb db, CancellationToken ct) =>
        tokens.TryRead(token, TokenPurpose.Preferences, out var id)
            ? await db.Subscribers.Include(s => s.Memberships).ThenInclude(m => m.List).FirstOrDefaultAsync(s => s.Id == id, ct)
            : null;

    private static async Task<IResult> SaveAsync(
        string token, [FromForm] SubscribeRequest form, HttpContext http, LinkTokens tokens, NewsletterDb db, CancellationToken ct)
    {
        if (await FindAsync(token, tokens, db, ct) is not { } subscriber) return SubscriptionsApi.InvalidLink();
        var errors = new Dictionary<string, string[]>();
        var choices = await SubscriptionChoices.ReadAsync(db, form, errors, ct);
        if (errors.Count == 0)
        {
            subscriber.Apply(choices);
            await db.SaveChangesAsync(ct);
            subscriber = (await FindAsync(token, tokens, db, ct))!;
        }
        return await FormAsync(http, db, token, subscriber, errors, saved: errors.Count == 0, ct);
    }

    private static async Task<IResult> FormAsync(
        HttpContext http, NewsletterDb db, string token, Subscriber s, Dictionary<string, string[]> errors, bool saved, CancellationToken ct)
    {
        var lists = await SubscriptionChoices.ListsBySlugAsync(db, ct);
        var chosen = s.Memberships.Select(m => m.List!.Slug).ToList();
        var status = s.Status == SubscriberStatus.Confirmed ? Html.Empty
            : Html.Of($"<p>This address receives nothing at the moment ({s.Status.ToString().ToLowerInvariant()}). To receive mail again, <a href=\"/subscribe\">subscribe again</a>.</p>");
        return PublicPages.Page("Your preferences", Html.Of($"""
            {(saved ? Html.Of($"<p role=\"status\">Your preferences are saved.</p>") : Html.Empty)}
            {SubscriptionForms.ErrorSummary(errors)}
            <p>For {s.Email}.</p>{status}
            <form method="post" action="/preferences/{token}">{PublicPages.AntiforgeryField(http)}
            {SubscriptionForms.Name(s.Name, errors)}
            {SubscriptionForms.Lists(lists.Values, chosen, errors)}
            {SubscriptionForms.Cadence(s.Cadence, errors)}
            <button type="submit">Save preferences</button>
            </form>
            <h2>Your data</h2>
            <p><a href="/preferences/{token}/data">Download my data (JSON)</a></p>
            <h2>Delete me</h2>
            <p>Erases everything we hold about you. We keep only a one-way hash of your address, so that it is never added back without you.</p>
            <form method="post" action="/preferences/{token}/delete">{PublicPages.AntiforgeryField(http)}<button type="submit">Delete my data</button></form>
            """), errors.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> DownloadAsync(string token, HttpContext http, LinkTokens tokens, NewsletterDb db, CancellationToken ct)
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

    /// <summary>Erases the subscriber (memberships go with it) and keeps the address only as a hash on the suppression list.</summary>
    private static async Task<IResult> DeleteAsync(
        string token, [FromForm] IFormCollection form, LinkTokens tokens, NewsletterDb db, TimeProvider time, ILogger<Subscribe> log, CancellationToken ct)
    {
        if (!tokens.TryRead(token, TokenPurpose.Preferences, out var id)) return SubscriptionsApi.InvalidLink();
        if (await SubscriberErasure.EraseAndSuppressAsync(db, id, time.GetUtcNow().UtcDateTime, ct))
            log.LogInformation("Subscriber {SubscriberId} erased at their request", id);
        return PublicPages.Page("Your data is deleted", Html.Of(
            $"<p>We hold nothing about you any more, and you will receive no more mail from us.</p>"));
    }
}
