using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Dashboard;

/// <summary>Requests that used to answer 500: Hangfire's stats read with a GET, and page numbers near int.MaxValue.</summary>
public abstract partial class JobsStatsAndPagingTests(Database database) : IAsyncLifetime
{
    private NewsletterApp _app = null!;
    private HttpClient _editor = null!;

    public async Task InitializeAsync()
    {
        _app = await NewsletterApp.StartAsync(database);
        _editor = _app.Anonymous();
        await (await _editor.LoginAsync()).ReadRedirectAsync("/admin");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [SkippableFact]
    public async Task HangfireStats_Answers200_ToAGet_AndToThePostOfItsOwnPage()
    {
        var plain = await _editor.GetAsync("/hangfire/stats");
        var asked = await _editor.GetAsync("/hangfire/stats?metrics[]=servers:count&metrics[]=succeeded:count");
        var page = await _editor.GetStringAsync("/hangfire");
        var post = new HttpRequestMessage(HttpMethod.Post, "/hangfire/stats")
        {
            Content = new FormUrlEncodedContent([new("metrics[]", "servers:count"), new("metrics[]", "succeeded:count")]),
            Headers = { { "RequestVerificationToken", WebUtility.HtmlDecode(CsrfToken().Match(page).Groups[1].Value) } },
        };
        var posted = await _editor.SendAsync(post);

        Assert.Equal("{}", await (await Ok(plain)).Content.ReadAsStringAsync());
        var metrics = JsonNode.Parse(await (await Ok(asked)).Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["servers:count", "succeeded:count"], metrics.Select(m => m.Key).Order());
        Assert.True(metrics["servers:count"]!["intValue"]!.GetValue<int>() >= 1);
        Assert.NotNull(JsonNode.Parse(await (await Ok(posted)).Content.ReadAsStringAsync())!["succeeded:count"]);
    }

    [SkippableFact]
    public async Task Lists_AnswerTheLargestPageNumberWithAnEmptyPage()
    {
        var admin = _app.Admin();
        await admin.ImportSubscribersAsync(Api.Csv(2));
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        var campaign = await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article["id"]!.GetValue<long>()));
        const int last = int.MaxValue;

        foreach (var list in new[] { "articles", "subscribers", "campaigns" })
        {
            var page = await (await admin.GetAsync($"/api/{list}?page={last}&pageSize=500")).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal(last, page["page"]!.GetValue<int>());
            Assert.Empty(page["items"]!.AsArray());
            Assert.True(page["total"]!.GetValue<int>() >= 1);
        }
        foreach (var path in new[] { "/admin/articles", "/admin/subscribers", "/admin/campaigns",
            $"/admin/campaigns/details/{campaign["id"]}" })
            await Ok(await _editor.GetAsync($"{path}?p={last}"));
    }

    private static async Task<HttpResponseMessage> Ok(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK,
            $"{response.RequestMessage!.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}

public sealed class JobsStatsAndPagingOnSqlite() : JobsStatsAndPagingTests(Database.Sqlite);

public sealed class JobsStatsAndPagingOnPostgres() : JobsStatsAndPagingTests(Database.Postgres);
