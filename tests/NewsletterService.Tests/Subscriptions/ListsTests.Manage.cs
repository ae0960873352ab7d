using System.Net;
using System.Net.Http.Json;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Subscriptions;

/// <summary>Pending counts, renaming and deleting lists (shared by <c>/api/lists</c> and the dashboard's lists page).</summary>
public abstract partial class ListsTests
{
    [SkippableFact]
    public async Task Lists_CountPendingMembersApartFromConfirmedOnes()
    {
        await using var app = await StartWithListsAsync(Readers);
        await app.Anonymous().SubscribeAsync("new@example.test", lists: ["harbour"]);

        var lists = await (await app.Admin().GetAsync("/api/lists")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(3, lists[1]!["subscribers"]!.GetValue<int>());
        Assert.Equal(1, lists[1]!["pending"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task RenameList_ChangesItsName_AndKeepsItsSlug()
    {
        await using var app = await StartWithListsAsync(Readers);

        var renamed = await (await app.Admin().PatchAsJsonAsync("/api/lists/harbour", new { name = "Harbour & quay" }))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("harbour", renamed["slug"]!.GetValue<string>());
        Assert.Equal("Harbour & quay", renamed["name"]!.GetValue<string>());
        Assert.Equal(3, renamed["subscribers"]!.GetValue<int>());
        await (await app.Admin().PatchAsJsonAsync("/api/lists/harbour", new { name = " " }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "name");
        await (await app.Admin().PatchAsJsonAsync("/api/lists/nope", new { name = "Nope" })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task DeleteList_TakesItsMembersOutOfIt_AndKeepsThemSubscribed()
    {
        await using var app = await StartWithListsAsync(Readers);

        var response = await app.Admin().DeleteAsync("/api/lists/harbour");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(5, await app.WithDbAsync(db => Task.FromResult(db.Subscribers.Count())));
        Assert.Equal(["culture"], (await app.SubscriberAsync("both@example.test")).Memberships.Select(m => m.List!.Slug));
        Assert.Empty((await app.SubscriberAsync("harbour@example.test")).Memberships);
    }

    [SkippableFact]
    public async Task DeleteList_Answers409_WhenACampaignWasSentToIt()
    {
        await using var app = await StartWithListsAsync(Readers);
        var admin = app.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        await admin.WaitForCampaignAsync(await admin.StartCampaignForListsAsync(article, "harbour"));

        var problem = await (await admin.DeleteAsync("/api/lists/harbour")).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("1 campaign was sent to it", problem["detail"]!.GetValue<string>());
        Assert.Equal(2, (await (await admin.GetAsync("/api/lists")).ReadJsonAsync(HttpStatusCode.OK)).AsArray().Count);
    }
}
