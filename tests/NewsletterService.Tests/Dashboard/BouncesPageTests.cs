using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Bounces;
using NewsletterService.Security;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Bounces;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Dashboard;

/// <summary>The Bounces page over HTTP: what was reported, how the mailboxes were read, and "check now" reading a real Dovecot.</summary>
public sealed class BouncesPageTests
{
    [Fact]
    public async Task ABounceAndAComplaint_AreShownNewestFirst_WithReaderCampaignKindStatusAndEncodedDiagnostic()
    {
        await using var app = await NewsletterApp.StartAsync();
        var campaign = await SendCampaignAsync(app, readers: 2);
        await RecordAsync(app, "reader0@example.test", BounceKind.Hard, "5.1.1", "550 5.1.1 <reader0@example.test>: no such user");
        await RecordAsync(app, "reader1@example.test", BounceKind.Complaint, null, "abuse report from Example Mail");
        await app.AddAccountAsync("viewer@newsroom.test", AccountRoles.Viewer);
        var viewer = await app.SignedInAsync("viewer@newsroom.test");

        var html = await viewer.GetStringAsync("/admin/bounces");

        Assert.Contains("<a aria-current=\"page\" href=\"/admin/bounces\">Bounces</a>", html); // in the navigation, as the current page
        var complaint = html.IndexOf("<td>reader1@example.test</td>", StringComparison.Ordinal);
        var bounce = html.IndexOf("<td>reader0@example.test</td>", StringComparison.Ordinal);
        Assert.True(complaint > 0 && bounce > complaint, "the complaint, reported last, comes first");
        Assert.Contains("<span class=\"badge complaint\">complaint</span>", html);
        Assert.Contains("<span class=\"badge hard\">hard</span>", html);
        Assert.Contains("<code>5.1.1</code>", html);
        Assert.Contains("550 5.1.1 &lt;reader0@example.test&gt;: no such user", html);
        Assert.Contains($"<a href=\"/admin/campaigns/report/{campaign}\">{SampleTexts.Title}</a>", WebUtility.HtmlDecode(html));
        Assert.Contains("No mailbox is read.", html);
        Assert.DoesNotContain("Check now", html); // a viewer may look, not act
    }

    [Fact]
    public async Task ManyBounces_ArePaged_FiftyAtATime_NewestFirst()
    {
        await using var app = await NewsletterApp.StartAsync();
        await app.WithDbAsync(async db =>
        {
            var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
            db.BounceEvents.AddRange(Enumerable.Range(0, 51).Select(i => new BounceEvent
            {
                Email = $"r{i:00}@example.test", Kind = BounceKind.Soft, Source = BounceSource.Webhook, At = start.AddMinutes(i),
            }));
            return await db.SaveChangesAsync();
        });
        var browser = await app.SignedInAsync(NewsletterApp.AdminEmail, NewsletterApp.AdminPassword);

        var first = await browser.GetStringAsync("/admin/bounces");
        var second = await browser.GetStringAsync("/admin/bounces?p=2");

        Assert.Contains("<td>r50@example.test</td>", first);
        Assert.Contains("<td>r01@example.test</td>", first);
        Assert.DoesNotContain("<td>r00@example.test</td>", first);
        Assert.Contains("Page 1 of 2", first);
        Assert.Contains("<td>r00@example.test</td>", second);
        Assert.DoesNotContain("<td>r01@example.test</td>", second);
    }

    [SkippableFact]
    public async Task CheckNow_ReadsTheDovecotMailboxAtOnce_AndThePageShowsTheBounceAndTheMailboxStatus()
    {
        await using var scenario = await MailboxScenario.StartAsync(); // polls only hourly: nothing reads it but "check now"
        await scenario.DeliverAsync("gmail-dsn", "reader1@example.test");
        var owner = await scenario.App.SignedInAsync(NewsletterApp.AdminEmail, NewsletterApp.AdminPassword);
        var before = await owner.GetStringAsync("/admin/bounces");
        Assert.Contains("not read yet", before);

        var response = await owner.PostFormAsync("/admin/bounces?handler=Check", new Dictionary<string, string>(), "/admin/bounces");

        await response.ReadRedirectAsync("/admin/bounces");
        Assert.Contains("Checking the Bounces mailbox now.", await owner.GetStringAsync("/admin/bounces"));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await scenario.StatusAsync("reader1@example.test") != SubscriberStatus.Bounced)
        {
            Assert.True(DateTime.UtcNow < until, "check now did not read the mailbox within 60 s");
            await Task.Delay(100);
        }
        until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await scenario.StateAsync()).LastPollAt is null) // the poll records its state after the mail is moved
        {
            Assert.True(DateTime.UtcNow < until, "the poll did not record the mailbox's state");
            await Task.Delay(100);
        }
        var html = await owner.GetStringAsync("/admin/bounces");
        Assert.Contains("<td>reader1@example.test</td>", html);
        Assert.Contains("<code>5.1.1</code>", html);
        Assert.Contains("<span class=\"badge ok\">ok</span>", html);
        Assert.Contains("<td class=\"num\">1</td>", html);
        Assert.Equal(1, await scenario.Dovecot.CountAsync("Processed"));
    }

    [Fact]
    public async Task CheckNow_WithoutAMailbox_SaysThatNoneIsConfigured()
    {
        await using var app = await NewsletterApp.StartAsync();
        var owner = await app.SignedInAsync(NewsletterApp.AdminEmail, NewsletterApp.AdminPassword);

        var response = await owner.PostFormAsync("/admin/bounces?handler=Check", new Dictionary<string, string>(), "/admin/bounces");

        await response.ReadRedirectAsync("/admin/bounces");
        Assert.Contains("No mailbox is configured: set Mailboxes__Bounces__Host", await owner.GetStringAsync("/admin/bounces"));
    }

    private static async Task<long> SendCampaignAsync(NewsletterApp app, int readers)
    {
        var admin = app.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        await admin.ImportSubscribersAsync(Api.Csv(readers));
        var campaign = await admin.StartCampaignAsync(article);
        await admin.WaitForCampaignAsync(campaign);
        return campaign;
    }

    private static async Task RecordAsync(NewsletterApp app, string email, BounceKind kind, string? status, string diagnostic)
    {
        var delivery = await app.WithDbAsync(db => db.Deliveries.AsNoTracking()
            .SingleAsync(d => db.Subscribers.Any(s => s.Id == d.SubscriberId && s.EmailKey == email)));
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BounceRecorder>().RecordAsync(new BounceEvent
        {
            CampaignId = delivery.CampaignId, DeliveryId = delivery.Id, SubscriberId = delivery.SubscriberId, Email = email,
            Kind = kind, Source = BounceSource.Mailbox, Status = status, Diagnostic = diagnostic,
        }, CancellationToken.None);
    }
}
