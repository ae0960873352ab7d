using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Tests.Infrastructure;
using static NewsletterService.Tests.Reports.TrackingTests;

namespace NewsletterService.Tests.Reports;

/// <summary>The report page's hourly chart and the overview's open and click rates, from real mails followed over HTTP.</summary>
public abstract class ReportChartTests(Database database)
{
    private static int Int(System.Text.Json.Nodes.JsonNode r, string path) => CampaignReportTests.Int(r, path);

    [SkippableFact]
    public async Task ReportChart_ShowsAReadersOpenAndClick_InTheHourSinceTheStart_AndLeavesMachineOpensOut()
    {
        await using var app = await NewsletterApp.StartAsync(database, HumanOpens);
        var (admin, campaign) = await SendAsync(app, 1, new { opens = true, clicks = true });
        var started = await app.WithDbAsync(db => db.Campaigns.Where(c => c.Id == campaign).Select(c => c.StartedAt!.Value).SingleAsync());
        int HourNow() => (int)(Floor(DateTime.UtcNow) - Floor(started)).TotalHours;
        var before = HourNow();
        var mail = (await app.WaitForMailsToAsync("reader0@example.test", 1))[0];
        await FetchAsync(app, Pixel(mail), TrackingTests.Browser);
        await FetchAsync(app, Pixel(mail), "Mozilla/5.0"); // Apple's proxy: not in the chart
        await app.Anonymous().GetAsync(Tracked(mail.HtmlBody)[0]);
        var after = HourNow();
        await WaitForReportAsync(admin, campaign, r => Int(r, "opens.total") == 1 && Int(r, "opens.machine") == 1 && Int(r, "clicks.total") == 1);

        var owner = await app.SignedInAsync(NewsletterApp.AdminEmail, NewsletterApp.AdminPassword);
        var page = await owner.GetStringAsync($"/admin/campaigns/report/{campaign}");

        Assert.Contains("<svg class=\"chart\"", page);
        Assert.Contains("1 opens and 1 clicks in the first 48 hours", page);
        var row = Regex.Match(page, @"data-hour=""(\d+)""><td>[^<]*</td><td class=""num"" data-field=""opens"">1</td>\s*<td class=""num"" data-field=""clicks"">1</td>");
        Assert.True(row.Success, page);
        Assert.InRange(int.Parse(row.Groups[1].Value), before, after);
        Assert.Single(Regex.Matches(page, "<tr data-hour="));
    }

    [SkippableFact]
    public async Task Overview_ShowsOpenAndClickRatesOfATrackedCampaign_AndADashForAnUntrackedOne()
    {
        await using var app = await NewsletterApp.StartAsync(database, HumanOpens);
        var (_, untracked) = await SendAsync(app, 2, tracking: null);
        var (admin, tracked) = await SendAsync(app, 0, new { opens = true, clicks = true });
        var mail = (await app.WaitForMailsToAsync("reader0@example.test", 2)).Single(m => m.HtmlBody!.Contains("/o/"));
        await FetchAsync(app, Pixel(mail), TrackingTests.Browser);
        await FetchAsync(app, Pixel(mail), TrackingTests.Browser);
        await app.Anonymous().GetAsync(Tracked(mail.TextBody)[0]);
        await WaitForReportAsync(admin, tracked, r => Int(r, "opens.total") == 2 && Int(r, "clicks.total") == 1);

        var owner = await app.SignedInAsync(NewsletterApp.AdminEmail, NewsletterApp.AdminPassword);
        var page = await owner.GetStringAsync("/admin");

        Assert.Equal(("50%", "50%"), Rates(page, tracked));
        Assert.Equal(("—", "—"), Rates(page, untracked));
    }

    private static (string Opens, string Clicks) Rates(string page, long campaign)
    {
        var row = Regex.Match(page, $@"<tr data-campaign=""{campaign}"">.*?data-field=""open-rate"">([^<]*)<.*?data-field=""click-rate"">([^<]*)<",
            RegexOptions.Singleline);
        Assert.True(row.Success, page);
        return (System.Net.WebUtility.HtmlDecode(row.Groups[1].Value), System.Net.WebUtility.HtmlDecode(row.Groups[2].Value));
    }

    private static DateTime Floor(DateTime t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc);
}

public sealed class ReportChartOnSqlite() : ReportChartTests(Database.Sqlite);

public sealed class ReportChartOnPostgres() : ReportChartTests(Database.Postgres);
