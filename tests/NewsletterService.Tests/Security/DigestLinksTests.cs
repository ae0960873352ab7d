using System.Net;
using Microsoft.Extensions.Time.Testing;
using NewsletterService.Articles;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Security;

/// <summary>
/// A digest links each article to its source only when that is a safe
/// URL, also for a source stored before feeds checked it.
/// </summary>
public sealed class DigestLinksTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 6, 0, 0, TimeSpan.Zero));
    private NewsletterApp _app = null!;

    public async Task InitializeAsync() => _app = await NewsletterApp.StartAsync(time: _clock);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<int> StoreAsync(string title, string sourceUrl) => _app.WithDbAsync(db =>
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        db.Articles.Add(new Article
        {
            Title = title, Body = $"{title}: the first paragraph.", PublishedAt = now, CreatedAt = now,
            SourceUrl = sourceUrl, SourceKey = title,
        });
        return db.SaveChangesAsync();
    });

    [Fact]
    public async Task Digest_NeverLinksAnUnsafeSourceUrl_AndStillLinksASafeOne()
    {
        var admin = _app.Admin();
        await admin.ImportSubscribersAsync("email,name,cadence\nana@example.test,Ana,daily\n");
        _clock.Advance(TimeSpan.FromHours(1));
        await StoreAsync("Quay reopens", "javascript:alert(1)");
        await StoreAsync("Tide tables", "https://harbour.example/tides");
        _clock.Advance(TimeSpan.FromHours(1));

        var campaign = await (await admin.PostAsync("/api/digests/daily/run", null)).ReadJsonAsync(HttpStatusCode.Created);
        await admin.WaitForCampaignAsync(campaign["id"]!.GetValue<long>());

        var mail = _app.Smtp.To("ana@example.test").Single();
        RenderedUrls.AssertNoUnsafeUrl(mail.HtmlBody!, "digest HTML part");
        Assert.Contains("https://harbour.example/tides", RenderedUrls.Targets(RenderedUrls.Parse(mail.HtmlBody!).Body!).Links);
        Assert.Contains("Quay reopens", mail.HtmlBody);
        Assert.DoesNotContain("javascript:", mail.TextBody);
    }
}
