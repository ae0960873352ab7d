using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using NewsletterService.Security;
using NewsletterService.Subscriptions;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>What a reader does (subscribe, follow links from mails) and what a test needs to look at it.</summary>
public static partial class SubscriptionSteps
{
    public static Task<HttpResponseMessage> SubscribeAsync(this HttpClient client, string email, string? name = null,
        string[]? lists = null, string? cadence = null) =>
        client.PostAsJsonAsync("/api/subscriptions", new { email, name, lists, cadence });

    /// <summary>Subscribes, waits for the confirmation mail and follows its link.</summary>
    public static async Task ConfirmedSubscriberAsync(this NewsletterApp app, string email, string? name = null, string[]? lists = null)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await app.Anonymous().SubscribeAsync(email, name, lists)).StatusCode);
        var mail = (await app.WaitForMailsToAsync(email, 1))[0];
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync(ConfirmPath(mail))).StatusCode);
    }

    public static async Task<IReadOnlyList<MimeMessage>> WaitForMailsToAsync(this NewsletterApp app, string address, int count)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (app.Smtp.To(address).Count < count)
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Expected {count} mails to {address}, got {app.Smtp.To(address).Count}.");
            await Task.Delay(50);
        }
        return app.Smtp.To(address);
    }

    /// <summary>The path of the confirm link in a confirmation mail's text part.</summary>
    public static string ConfirmPath(MimeMessage mail) => Local(ConfirmUrl().Match(mail.TextBody ?? "").Value);

    /// <summary>The path of the https URL in a mail's List-Unsubscribe header.</summary>
    public static string UnsubscribePath(MimeMessage mail) =>
        Local(Regex.Match(mail.Headers["List-Unsubscribe"] ?? "", "<(https://[^>]+)>").Groups[1].Value);

    private static string Local(string url)
    {
        Assert.StartsWith(NewsletterApp.BaseUrl + "/", url);
        return url[NewsletterApp.BaseUrl.Length..];
    }

    /// <summary>A token signed with the app's key, as its mails carry, optionally made at another time.</summary>
    public static string Token(this NewsletterApp app, TokenPurpose purpose, long subscriberId, TimeSpan? lifetime = null,
        DateTimeOffset? madeAt = null) =>
        new LinkTokens(app.Services.GetRequiredService<SigningKey>(), new FakeTimeProvider(madeAt ?? DateTimeOffset.UtcNow))
            .Create(purpose, subscriberId, lifetime);

    public static Task<Subscriber?> FindSubscriberAsync(this NewsletterApp app, string email) =>
        app.WithDbAsync(db => db.Subscribers.AsNoTracking().Include(s => s.Memberships).ThenInclude(m => m.List)
            .FirstOrDefaultAsync(s => s.EmailKey == email.ToLowerInvariant()));

    public static async Task<Subscriber> SubscriberAsync(this NewsletterApp app, string email) =>
        await app.FindSubscriberAsync(email) ?? throw new InvalidOperationException($"No subscriber {email}.");

    public static async Task CreateListAsync(this HttpClient admin, string slug, string name) =>
        await (await admin.PostAsJsonAsync("/api/lists", new { slug, name })).ReadJsonAsync(HttpStatusCode.Created);

    public static async Task<long> StartCampaignForListsAsync(this HttpClient admin, long articleId, params string[] lists)
    {
        var response = await admin.PostAsJsonAsync("/api/campaigns", new { articleId, lists });
        return (await response.ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();
    }

    /// <summary>GETs a page with a form and returns the antiforgery token in it (the client keeps the cookie).</summary>
    [GeneratedRegex(@"https://news\.example\.test/confirm/[A-Za-z0-9_-]+")]
    private static partial Regex ConfirmUrl();
}
