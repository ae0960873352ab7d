using System.Net;
using NewsletterService.Tests.Infrastructure;
using static NewsletterService.Tests.Reports.TrackingTests;

namespace NewsletterService.Tests.Reports;

/// <summary>The per-reader activity CSV of a campaign, from real mails whose pixel and links were followed over HTTP.</summary>
public abstract class ActivityExportTests(Database database)
{
    [SkippableFact]
    public async Task ActivityCsv_HasOneRowPerReaderWhoOpenedOrClicked_WithTheirCounts_AndNeutralisesAFormulaName()
    {
        await using var app = await NewsletterApp.StartAsync(database, HumanOpens);
        await app.Admin().ImportSubscribersAsync(
            "email,name\nreader0@example.test,=1+2\nreader1@example.test,Reader One\nreader2@example.test,Reader Two\n");
        var (admin, campaign) = await SendAsync(app, 0, new { opens = true, clicks = true });
        var first = (await app.WaitForMailsToAsync("reader0@example.test", 1))[0];
        await FetchAsync(app, Pixel(first), TrackingTests.Browser);
        await FetchAsync(app, Pixel(first), TrackingTests.Browser);
        await FetchAsync(app, Pixel(first), "Mozilla/5.0"); // Apple's proxy: a machine open
        foreach (var link in Tracked(first.HtmlBody)) await app.Anonymous().GetAsync(link);
        await app.Anonymous().GetAsync(Tracked((await app.WaitForMailsToAsync("reader1@example.test", 1))[0].TextBody)[0]);
        await WaitForReportAsync(admin, campaign, r => CampaignReportTests.Int(r, "clicks.total") == 3
            && CampaignReportTests.Int(r, "opens.total") == 2 && CampaignReportTests.Int(r, "opens.machine") == 1);

        foreach (var (client, path) in new[] { (admin, $"/api/campaigns/{campaign}/activity.csv"),
                     (await app.SignedInAsync(NewsletterApp.AdminEmail, NewsletterApp.AdminPassword), $"/admin/campaigns/{campaign}/activity.csv") })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
            var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("email,name,first_open,opens,machine_opens,first_click,clicks,links_clicked", lines[0]);
            Assert.Equal(3, lines.Length);
            var reader0 = lines[1].Split(',');
            Assert.Equal("reader0@example.test", reader0[0]);
            Assert.DoesNotMatch("^=", reader0[1].Trim('"')); // escaped: a spreadsheet shows it as text
            Assert.Contains("=1+2", reader0[1]);
            Assert.Equal(("2", "1", "2", "2"), (reader0[3], reader0[4], reader0[6], reader0[7]));
            Assert.True(DateTime.TryParse(reader0[2], out _) && DateTime.TryParse(reader0[5], out _), lines[1]);
            Assert.Equal(["reader1@example.test", "Reader One", "", "0", "0"], lines[2].Split(',')[..5]);
            Assert.Equal(("1", "1"), (lines[2].Split(',')[6], lines[2].Split(',')[7]));
        }
        Assert.Equal(2, await app.WithDbAsync(db => Task.FromResult(
            db.AuditEntries.Count(a => a.Action == "campaign.activity-export" && a.Target == $"campaign {campaign}"))));
    }

    [SkippableFact]
    public async Task AViewerOrWriter_Gets403OnTheExport_AndNoLinkToIt_AndAnUnknownCampaignIs404()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var (admin, campaign) = await SendAsync(app, 1, new { clicks = true });
        foreach (var role in new[] { "viewer", "writer" })
        {
            await app.AddAccountAsync($"{role}@newsroom.test", role);
            var browser = await app.SignedInAsync($"{role}@newsroom.test");
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync($"/admin/campaigns/{campaign}/activity.csv")).StatusCode);
            Assert.DoesNotContain("activity.csv", await browser.GetStringAsync($"/admin/campaigns/report/{campaign}"));
        }
        var owner = await app.SignedInAsync(NewsletterApp.AdminEmail, NewsletterApp.AdminPassword);
        Assert.Contains($"href=\"/admin/campaigns/{campaign}/activity.csv\"", await owner.GetStringAsync($"/admin/campaigns/report/{campaign}"));
        await (await admin.GetAsync("/api/campaigns/999999/activity.csv")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class ActivityExportOnSqlite() : ActivityExportTests(Database.Sqlite);

public sealed class ActivityExportOnPostgres() : ActivityExportTests(Database.Postgres);
