using System.Net;
using NewsletterService.Tests.Infrastructure;
using static NewsletterService.Tests.Campaigns.ApprovalSteps;

namespace NewsletterService.Tests.Campaigns;

/// <summary>
/// The approval flow on the dashboard: each role sees only the forms it may use; lists and pages say "awaiting approval"
/// and "returned" with the reviewer's comment.
/// </summary>
public abstract class CampaignApprovalPagesTests(Database database)
{
    [SkippableFact]
    public async Task TheWritersForm_SubmitsForApproval_AndEachRoleSeesOnlyTheActionsItMayTake()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var article = await app.NewsroomAsync(readers: 3);
        await app.AddAccountAsync("viewer@newsroom.test", "viewer");
        var (writer, editor, viewer) =
            (await app.SignedInAsync(Writer), await app.SignedInAsync(Editor), await app.SignedInAsync("viewer@newsroom.test"));

        var form = await writer.PageAsync("/admin/campaigns");
        Assert.Contains("Review and submit for approval…", form);
        Assert.DoesNotContain("Review and confirm…", form);
        var confirm = await writer.PostFormAsync("/admin/campaigns", new Dictionary<string, string> { ["articleId"] = article.ToString(), ["when"] = "now" });
        var step = WebUtility.HtmlDecode(await confirm.Content.ReadAsStringAsync());
        Assert.Contains($"Submit “{SampleTexts.Title}” for approval, to 3 readers once approved?", step);
        Assert.Contains("Submit for approval", step);
        Assert.DoesNotContain("Send to 3 readers now", step);
        Assert.DoesNotContain("id=\"new\"", await viewer.PageAsync("/admin/campaigns"));
        Assert.Contains("id=\"new\"", await editor.PageAsync("/admin/campaigns"));

        var id = await writer.SubmitCampaignAsync(article, audience: 3);

        var mine = await writer.PageAsync(DetailsPath(id));
        Assert.Contains("awaiting approval", mine);
        Assert.Contains("handler=Cancel", mine);
        Assert.DoesNotContain("handler=Approve", mine);
        Assert.DoesNotContain("handler=Pause", mine);
        var seen = await viewer.PageAsync(DetailsPath(id));
        Assert.DoesNotContain("handler=", seen);
        var review = await editor.PageAsync(DetailsPath(id));
        Assert.Contains("handler=Approve", review);
        Assert.Contains("handler=Return", review);
        Assert.Contains("name=\"comment\"", review);
        Assert.Contains("awaiting approval", await viewer.PageAsync("/admin/campaigns"));
        Assert.Contains("awaiting approval", await viewer.PageAsync("/admin"));

        var empty = await editor.OnDetailsAsync(id, "Return", new() { ["comment"] = "  " });
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("a comment is required", await empty.Content.ReadAsStringAsync());
        Assert.Equal("awaitingApproval", await app.Admin().StatusAsync(id));
        await (await editor.OnDetailsAsync(id, "Return", new() { ["comment"] = "Tighten the intro" })).ReadRedirectAsync(DetailsPath(id));

        var list = await viewer.PageAsync("/admin/campaigns");
        Assert.Contains("badge returned", list);
        Assert.Contains("Tighten the intro", list);
        var returned = await writer.PageAsync(DetailsPath(id));
        Assert.Contains("Returned with this comment:", returned);
        Assert.Contains("Submit for approval again", returned);
        Assert.DoesNotContain("Submit for approval again", await viewer.PageAsync(DetailsPath(id)));
        Assert.DoesNotContain("handler=Approve", await editor.PageAsync(DetailsPath(id)));
    }

    [SkippableFact]
    public async Task SubmittingAgain_WithATimeThatHasPassed_IsRefused_AndWithAFutureOne_KeepsIt()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var article = await app.NewsroomAsync(readers: 1);
        var writer = await app.SignedInAsync(Writer);
        var id = await writer.SubmitCampaignAsync(article, audience: 1);
        (await app.Admin().ReturnAsync(id, "Later, please")).EnsureSuccessStatusCode();

        var past = await writer.OnDetailsAsync(id, "Submit", new() { ["when"] = "later", ["sendAt"] = "2020-01-01T08:00", ["timeZone"] = "UTC" });
        Assert.Equal(HttpStatusCode.OK, past.StatusCode);
        Assert.Contains("has passed", await past.Content.ReadAsStringAsync());
        Assert.Equal("returned", await app.Admin().StatusAsync(id));

        var at = DateTime.UtcNow.AddDays(3);
        var later = new Dictionary<string, string>
        {
            ["when"] = "later", ["timeZone"] = "UTC", ["sendAt"] = at.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        };
        await (await writer.OnDetailsAsync(id, "Submit", later)).ReadRedirectAsync(DetailsPath(id));
        var campaign = await app.Admin().GetCampaignAsync(id);
        Assert.Equal("awaitingApproval", campaign["status"]!.GetValue<string>());
        Assert.Equal(at.ToString("yyyy-MM-ddTHH:mm"), campaign["sendAt"]!.GetValue<DateTime>().ToString("yyyy-MM-ddTHH:mm"));
    }
}

internal static class PageReading
{
    /// <summary>A dashboard page's text as a person reads it (Razor writes “…” and the like as character references).</summary>
    public static async Task<string> PageAsync(this HttpClient browser, string path) => WebUtility.HtmlDecode(await browser.GetStringAsync(path));
}

public sealed class CampaignApprovalPagesOnSqlite() : CampaignApprovalPagesTests(Database.Sqlite);

public sealed class CampaignApprovalPagesOnPostgres() : CampaignApprovalPagesTests(Database.Postgres);
