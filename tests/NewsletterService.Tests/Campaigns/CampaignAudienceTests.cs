using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Campaigns;

/// <summary><c>POST /api/campaigns</c> tells the audience, and <c>?dryRun=true</c> tells it without sending anything.</summary>
public abstract class CampaignAudienceTests(Database database)
{
    // harbour: 3 who take articles as they come, 1 on a daily digest, 1 pending, 1 unsubscribed, 1 bounced;
    // culture: 2 as they come (one also on harbour), 1 on a weekly digest; 1 reader on no list.
    private const string Readers = """
        email,name,lists,cadence
        h1@example.test,H1,harbour,
        h2@example.test,H2,harbour,immediate
        both@example.test,Bo,harbour|culture,
        c1@example.test,C1,culture,
        none@example.test,Nils,,
        daily@example.test,Dina,harbour,daily
        weekly@example.test,Wim,culture,weekly
        pending@example.test,Pia,harbour,
        gone@example.test,Gus,harbour,
        bounced@example.test,Ben,harbour,
        """;

    private async Task<(NewsletterApp App, HttpClient Admin, long Article)> StartAsync()
    {
        var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        await admin.CreateListAsync("harbour", "Harbour news");
        await admin.CreateListAsync("culture", "Culture");
        await admin.ImportSubscribersAsync(Readers);
        await app.WithDbAsync(async db =>
        {
            foreach (var (email, status) in new[] { ("pending", SubscriberStatus.Pending), ("gone", SubscriberStatus.Unsubscribed),
                         ("bounced", SubscriberStatus.Bounced) })
                await db.Subscribers.Where(s => s.EmailKey == email + "@example.test")
                    .ExecuteUpdateAsync(x => x.SetProperty(s => s.Status, status));
            return 0;
        });
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        return (app, admin, article["id"]!.GetValue<long>());
    }

    private static async Task<JsonNode> DryRunAsync(HttpClient admin, long articleId, params string[] lists) =>
        await (await admin.PostAsJsonAsync("/api/campaigns?dryRun=true", new { articleId, lists })).ReadJsonAsync(HttpStatusCode.OK);

    [SkippableFact]
    public async Task DryRun_CountsTheReadersOfTheChosenLists_AndWhoIsLeftOutWhy_AndCreatesNothing()
    {
        var (app, admin, article) = await StartAsync();
        await using var _ = app;

        var jobsBefore = JobsCreated(app);

        var dry = await DryRunAsync(admin, article, "harbour");

        Assert.Equal(3, dry["audience"]!.GetValue<int>());
        var harbour = Assert.Single(dry["byList"]!.AsArray())!;
        Assert.Equal(("harbour", "Harbour news", 3),
            (harbour["slug"]!.GetValue<string>(), harbour["name"]!.GetValue<string>(), harbour["audience"]!.GetValue<int>()));
        var excluded = dry["excluded"]!;
        Assert.Equal((1, 1, 1, 1), (excluded["digest"]!.GetValue<int>(), excluded["pending"]!.GetValue<int>(),
            excluded["unsubscribed"]!.GetValue<int>(), excluded["bounced"]!.GetValue<int>()));

        var both = await DryRunAsync(admin, article, "harbour", "culture");
        Assert.Equal(4, both["audience"]!.GetValue<int>()); // both@ once
        Assert.Equal([("culture", 2), ("harbour", 3)],
            both["byList"]!.AsArray().Select(l => (l!["slug"]!.GetValue<string>(), l["audience"]!.GetValue<int>())).OrderBy(l => l.Item1));
        Assert.Equal(2, both["excluded"]!["digest"]!.GetValue<int>());

        var everyone = await DryRunAsync(admin, article);
        Assert.Equal(5, everyone["audience"]!.GetValue<int>());
        Assert.Empty(everyone["byList"]!.AsArray());
        Assert.Equal(2, everyone["excluded"]!["digest"]!.GetValue<int>());

        var campaigns = await (await admin.GetAsync("/api/campaigns")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, campaigns["total"]!.GetValue<int>());
        Assert.Equal(0, await app.WithDbAsync(db => db.Deliveries.CountAsync()));
        Assert.Equal(jobsBefore, JobsCreated(app)); // nothing to send was queued or scheduled
        Assert.Empty(app.Smtp.Messages);
    }

    /// <summary>Every Hangfire job the app has made so far, in whatever state.</summary>
    private static long JobsCreated(NewsletterApp app)
    {
        var s = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().GetStatistics();
        return s.Enqueued + s.Scheduled + s.Processing + s.Succeeded + s.Failed + s.Deleted;
    }

    [SkippableFact]
    public async Task Create_AnswersWithTheAudience_ThatTheDryRunForetold_AndExactlyThoseReadersGetIt()
    {
        var (app, admin, article) = await StartAsync();
        await using var _ = app;
        var dry = await DryRunAsync(admin, article, "harbour", "culture");

        var lists = new[] { "harbour", "culture" };
        var response = await admin.PostAsJsonAsync("/api/campaigns", new { articleId = article, lists });
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        var campaign = await admin.WaitForCampaignAsync(created["id"]!.GetValue<long>());

        Assert.Equal(dry["audience"]!.GetValue<int>(), created["audience"]!.GetValue<int>());
        Assert.Equal(4, campaign["total"]!.GetValue<int>());
        Assert.Equal(4, campaign["sent"]!.GetValue<int>());
        Assert.Equal(["both@example.test", "c1@example.test", "h1@example.test", "h2@example.test"],
            app.Smtp.Messages.Select(m => m.To.Mailboxes.Single().Address).Distinct().Order());
    }

    [SkippableFact]
    public async Task ScheduledCampaign_ShowsTheAudienceItWouldReachNow_UntilItStarts()
    {
        var (app, admin, article) = await StartAsync();
        await using var _ = app;

        var id = await admin.StartCampaignAsync(article, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal(5, (await admin.GetCampaignAsync(id))["audience"]!.GetValue<int>());
        await admin.ImportSubscribersAsync("email,name\nlate@example.test,Late\n");
        Assert.Equal(6, (await admin.GetCampaignAsync(id))["audience"]!.GetValue<int>());
    }

    [SkippableTheory]
    [InlineData("""{"lists":["harbour"]}""", "true", "articleId")]
    [InlineData("""{"articleId":999999}""", "true", "articleId")]
    [InlineData("""{"articleId":ARTICLE,"lists":["no-such-list"]}""", "true", "lists")]
    [InlineData("""{"articleId":ARTICLE}""", "maybe", "dryRun")]
    [InlineData("""{"articleId":ARTICLE,"lists":["no-such-list"]}""", "false", "lists")]
    public async Task DryRun_RefusesBadInput_NamingTheField_AndCreatesNothing(string body, string dryRun, string field)
    {
        var (app, admin, article) = await StartAsync();
        await using var _ = app;

        var response = await admin.PostAsync($"/api/campaigns?dryRun={dryRun}",
            new StringContent(body.Replace("ARTICLE", article.ToString()), System.Text.Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(0, await app.WithDbAsync(db => db.Campaigns.CountAsync()));
    }
}

public sealed class CampaignAudienceOnSqlite() : CampaignAudienceTests(Database.Sqlite);

public sealed class CampaignAudienceOnPostgres() : CampaignAudienceTests(Database.Postgres);
