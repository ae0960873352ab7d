using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Accounts;
using NewsletterService.Tests.Infrastructure;
using static NewsletterService.Tests.Campaigns.ApprovalSteps;

namespace NewsletterService.Tests.Campaigns;

/// <summary>
/// A writer's campaign waits for an editor: reviewers are mailed, a return carries a comment back to the writer, who submits
/// again; once approved it goes out as an editor's campaign does (SQLite and PostgreSQL, mails over real SMTP).
/// </summary>
public abstract class CampaignApprovalTests(Database database)
{
    private const string Hostile = "<script>alert(1)</script> Shorter subject & the \"Local\" list, please";

    [SkippableFact]
    public async Task WritersCampaign_IsReturnedWithAComment_SubmittedAgain_Approved_AndReachesTheReaders_WithEveryMail()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var article = await app.NewsroomAsync(readers: 3);
        await app.AddAccountAsync("gone@newsroom.test", "editor");
        await app.AddAccountAsync("viewer@newsroom.test", "viewer");
        await app.WithDbAsync(db => db.Users.Where(u => u.Email == "gone@newsroom.test")
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, Account.DisabledUntil)));
        var (admin, writer, editor) = (app.Admin(), await app.SignedInAsync(Writer), await app.SignedInAsync(Editor));

        var id = await writer.SubmitCampaignAsync(article, audience: 3);

        var asked = await app.MailToAsync(Editor);
        Assert.Equal($"Campaign awaiting approval: {SampleTexts.Title}", asked.Subject);
        Assert.Contains($"href=\"{NewsletterApp.BaseUrl}{DetailsPath(id)}\"", asked.HtmlBody);
        Assert.Contains(Writer, asked.TextBody);
        await app.MailToAsync(NewsletterApp.AdminEmail);
        var waiting = await admin.GetCampaignAsync(id);
        Assert.Equal("awaitingApproval", waiting["status"]!.GetValue<string>());
        Assert.Equal(Writer, waiting["submittedBy"]!.GetValue<string>());
        Assert.Equal(0, await app.WithDbAsync(db => db.Deliveries.CountAsync()));
        Assert.Null(await app.WithDbAsync(db => db.Campaigns.Select(c => c.ScheduledJobId).SingleAsync()));

        await (await admin.ReturnAsync(id, " ")).AssertProblemAsync(HttpStatusCode.BadRequest, "comment");
        await (await admin.ReturnAsync(id, new string('x', 2001))).AssertProblemAsync(HttpStatusCode.BadRequest, "comment");
        await (await editor.OnDetailsAsync(id, "Return", new() { ["comment"] = Hostile })).ReadRedirectAsync(DetailsPath(id));

        var returned = await app.MailToAsync(Writer);
        Assert.Equal($"Your campaign was returned: {SampleTexts.Title}", returned.Subject);
        Assert.DoesNotContain("<script>", returned.HtmlBody);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Shorter subject &amp; the", returned.HtmlBody);
        Assert.Contains(Hostile, WebUtility.HtmlDecode(returned.HtmlBody));
        Assert.Contains(Hostile, returned.TextBody);
        var page = await writer.GetStringAsync(DetailsPath(id));
        Assert.DoesNotContain("<script>alert(1)", page);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.Contains(Hostile, WebUtility.HtmlDecode(page));
        Assert.Contains("Submit for approval again", page);
        Assert.DoesNotContain("handler=Approve", page);
        Assert.Equal(Hostile, (await admin.GetCampaignAsync(id))["reviewComment"]!.GetValue<string>());

        await (await writer.OnDetailsAsync(id, "Submit", new() { ["when"] = "now" })).ReadRedirectAsync(DetailsPath(id));
        await app.MailToAsync(Editor, count: 2);
        await app.MailToAsync(NewsletterApp.AdminEmail, count: 2);
        Assert.Equal("awaitingApproval", await admin.StatusAsync(id));
        Assert.Contains("handler=Approve", await editor.GetStringAsync(DetailsPath(id)));

        Assert.Equal("sending", (await (await admin.ApproveAsync(id)).AsJsonAsync())["status"]!.GetValue<string>());
        Assert.Equal(3, (await admin.WaitForCampaignAsync(id))["sent"]!.GetValue<int>());
        var approved = await app.MailToAsync(Writer, count: 2);
        Assert.Equal($"Your campaign was approved: {SampleTexts.Title}", approved.Subject);
        Assert.Single(app.Smtp.To("reader0@example.test"));
        Assert.Empty(app.Smtp.To("gone@newsroom.test"));
        Assert.Empty(app.Smtp.To("viewer@newsroom.test"));
        Assert.Equal(2, app.Smtp.To(NewsletterApp.AdminEmail).Count);
        Assert.Equal(["campaign.submitted", "campaign.returned", "campaign.submitted", "campaign.approved", "campaign.send"],
            await app.AuditAsync(id));
        var entry = await app.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == "campaign.returned"));
        Assert.Equal(Editor, entry.Actor);
        Assert.Contains("Shorter subject", entry.Details);
    }

    [SkippableFact]
    public async Task ApprovingACampaignWithASendTime_SchedulesIt_AndOneWhoseTimeHasPassed_SendsAtOnce()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var article = await app.NewsroomAsync(readers: 2);
        var (admin, writer) = (app.Admin(), await app.SignedInAsync(Writer));
        var sendAt = DateTime.UtcNow.AddDays(2);
        var later = await writer.SubmitCampaignAsync(article, audience: 2, sendAtUtc: sendAt);
        var passed = await writer.SubmitCampaignAsync(article, audience: 2, sendAtUtc: DateTime.UtcNow.AddDays(1));
        await app.WithDbAsync(db => db.Campaigns.Where(c => c.Id == passed)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.SendAt, DateTime.UtcNow.AddMinutes(-5))));

        var scheduled = await (await admin.ApproveAsync(later)).AsJsonAsync();

        Assert.Equal("scheduled", scheduled["status"]!.GetValue<string>());
        Assert.Equal(sendAt.ToString("yyyy-MM-ddTHH:mm"), scheduled["sendAt"]!.GetValue<DateTime>().ToString("yyyy-MM-ddTHH:mm"));
        Assert.NotNull(await app.WithDbAsync(db => db.Campaigns.Where(c => c.Id == later).Select(c => c.ScheduledJobId).SingleAsync()));
        Assert.Contains("campaign.schedule", await app.AuditAsync(later));
        Assert.Equal("sending", (await (await admin.ApproveAsync(passed)).AsJsonAsync())["status"]!.GetValue<string>());
        Assert.Equal(2, (await admin.WaitForCampaignAsync(passed))["sent"]!.GetValue<int>());
        Assert.Equal("scheduled", await admin.StatusAsync(later));
    }

    [SkippableFact]
    public async Task TwoEditorsApprovingAtOnce_StartItOnce_AndApprovingOrReturningAgain_Is409()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var article = await app.NewsroomAsync(readers: 3);
        var id = await (await app.SignedInAsync(Writer)).SubmitCampaignAsync(article, audience: 3);
        var (first, second) = (app.Admin(), await app.SignedInAsync(Editor));

        var answers = await Task.WhenAll(first.ApproveAsync(id), second.OnDetailsAsync(id, "Approve"));

        Assert.Equal(3, (await first.WaitForCampaignAsync(id))["sent"]!.GetValue<int>());
        Assert.Single(app.Smtp.To("reader1@example.test"));
        var actions = await app.AuditAsync(id);
        Assert.Single(actions, a => a == "campaign.approved");
        Assert.Single(actions, a => a == "campaign.send");
        Assert.True(answers[0].StatusCode == HttpStatusCode.OK ^ answers[1].StatusCode == HttpStatusCode.Redirect,
            $"{answers[0].StatusCode}, {answers[1].StatusCode}");
        await (await first.ApproveAsync(id)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await first.ReturnAsync(id, "too late")).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await first.ApproveAsync(999999)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task AWriter_CannotApproveOrReturn_EvenTheirOwn_NorCancelAnothers_ButCancelsTheirOwn()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var article = await app.NewsroomAsync(readers: 1);
        await app.AddAccountAsync("other.writer@newsroom.test", "writer");
        var (writer, other) = (await app.SignedInAsync(Writer), await app.SignedInAsync("other.writer@newsroom.test"));
        var id = await writer.SubmitCampaignAsync(article, audience: 1);

        Assert.Equal(HttpStatusCode.Forbidden, (await writer.OnDetailsAsync(id, "Approve")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.OnDetailsAsync(id, "Return", new() { ["comment"] = "ok" })).StatusCode);
        var refused = await other.OnDetailsAsync(id, "Cancel");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("only their own campaign", await refused.Content.ReadAsStringAsync());
        Assert.Equal("awaitingApproval", await app.Admin().StatusAsync(id));

        await (await writer.OnDetailsAsync(id, "Cancel")).ReadRedirectAsync(DetailsPath(id));
        Assert.Equal("cancelled", await app.Admin().StatusAsync(id));
        await (await app.Admin().ApproveAsync(id)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("campaign.cancel", await app.AuditAsync(id));
    }
}

public sealed class CampaignApprovalOnSqlite() : CampaignApprovalTests(Database.Sqlite);

public sealed class CampaignApprovalOnPostgres() : CampaignApprovalTests(Database.Postgres);
