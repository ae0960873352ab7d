using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Idempotency;

/// <summary>The dashboard's creating forms carry a one-time submission id: a double or replayed submit does one thing.</summary>
public sealed partial class FormSubmissionTests : IAsyncLifetime
{
    private NewsletterApp _app = null!;
    private HttpClient _editor = null!;
    private long _articleId;

    public async Task InitializeAsync()
    {
        _app = await NewsletterApp.StartAsync();
        _editor = _app.Anonymous();
        await (await _editor.LoginAsync()).ReadRedirectAsync("/admin");
        _articleId = (await _app.Admin().ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>The form on <paramref name="page"/> as rendered (token, submission id) with <paramref name="fields"/>.</summary>
    private async Task<Dictionary<string, string>> FormAsync(string page, Dictionary<string, string> fields, bool once = true)
    {
        var html = await _editor.GetStringAsync(page);
        var token = WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value);
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        if (!once) return form;
        Assert.True(Submission().Match(html) is { Success: true }, $"No submission id on {page}.");
        form["submission"] = Submission().Match(html).Groups[1].Value;
        return form;
    }

    private Task<HttpResponseMessage> PostAsync(string action, Dictionary<string, string> form) =>
        _editor.PostAsync(action, new FormUrlEncodedContent(form));

    private Task<int> CampaignsAsync() => _app.WithDbAsync(db => db.Campaigns.CountAsync());

    [SkippableFact]
    public async Task CampaignForm_SentTwice_CreatesOneCampaign_AndTheSecondAnswerShowsTheFirstOnesResult()
    {
        var form = await FormAsync("/admin/campaigns", new() { ["articleId"] = _articleId.ToString(), ["when"] = "now", ["confirm"] = "0" });

        var first = await PostAsync("/admin/campaigns", form);
        var again = await PostAsync("/admin/campaigns", form);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Matches("^/admin/campaigns/details/[0-9]+$", first.Headers.Location!.OriginalString);
        await again.ReadRedirectAsync(first.Headers.Location!.OriginalString);
        Assert.Contains(SampleTexts.Title, WebUtility.HtmlDecode(await _editor.GetStringAsync(again.Headers.Location)));
        Assert.Equal(1, await CampaignsAsync());
    }

    [SkippableFact]
    public async Task CampaignForm_SentConcurrently_CreatesOneCampaign()
    {
        var form = await FormAsync("/admin/campaigns", new() { ["articleId"] = _articleId.ToString(), ["when"] = "now", ["confirm"] = "0" });

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync("/admin/campaigns", form)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Redirect, a.StatusCode));
        Assert.Single(answers.Select(a => a.Headers.Location!.OriginalString).Distinct());
        Assert.Equal(1, await CampaignsAsync());
    }

    [SkippableFact]
    public async Task CampaignForm_RenderedAgain_CreatesAnotherCampaign()
    {
        foreach (var _ in new[] { 1, 2 })
        {
            var form = await FormAsync("/admin/campaigns", new() { ["articleId"] = _articleId.ToString(), ["when"] = "now", ["confirm"] = "0" });
            Assert.Equal(HttpStatusCode.Redirect, (await PostAsync("/admin/campaigns", form)).StatusCode);
        }

        Assert.Equal(2, await CampaignsAsync());
    }

    [SkippableFact]
    public async Task SubmissionId_ReusedWithOtherValues_DoesNothingMore_AndSaysSo()
    {
        var form = await FormAsync("/admin/campaigns", new() { ["articleId"] = _articleId.ToString(), ["when"] = "now", ["confirm"] = "0" });
        var first = await PostAsync("/admin/campaigns", form);

        var later = new Dictionary<string, string>(form) { ["when"] = "later", ["sendAt"] = "2099-01-01T09:00" };
        var other = await PostAsync("/admin/campaigns", later);

        await other.ReadRedirectAsync(first.Headers.Location!.OriginalString);
        Assert.Contains("already been sent with other values", WebUtility.HtmlDecode(await _editor.GetStringAsync(other.Headers.Location)));
        Assert.Equal(1, await CampaignsAsync());
    }

    [SkippableTheory]
    [InlineData("")]
    [InlineData("x\u0001y")]
    [InlineData("201")]
    public async Task SubmissionId_ThatIsNoId_IsRefused_AndNothingIsCreated(string id)
    {
        var form = await FormAsync("/admin/campaigns", new() { ["articleId"] = _articleId.ToString(), ["when"] = "now", ["confirm"] = "0" });
        form["submission"] = id == "201" ? new string('a', 201) : id;

        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("/admin/campaigns", form)).StatusCode);
        Assert.Equal(0, await CampaignsAsync());
    }

    [SkippableTheory]
    [InlineData("/admin/articles/edit", "", "title=Quay news|body=The quay reopened.", "Articles")]
    [InlineData("/admin/articles", "?handler=Import", "text=Quay news\n\nThe quay reopened on Monday.", "Articles")]
    [InlineData("/admin/lists", "", "slug=quay|name=Quay news", "Lists")]
    [InlineData("/admin/feeds", "", "url=https://feeds.example.test/quay.xml", "Feeds")]
    public async Task CreatingForm_SentTwice_CreatesOneObject(string page, string handler, string fields, string table)
    {
        Task<int> CountAsync() => _app.WithDbAsync(db => table switch
        {
            "Articles" => db.Articles.CountAsync(),
            "Lists" => db.Lists.CountAsync(),
            _ => db.Feeds.CountAsync(),
        });
        var before = await CountAsync();
        var form = await FormAsync(page, fields.Split('|').Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]));

        var first = await PostAsync(page + handler, form);
        var again = await PostAsync(page + handler, form);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        await again.ReadRedirectAsync(first.Headers.Location!.OriginalString);
        Assert.Equal(before + 1, await CountAsync());
    }

    [SkippableFact]
    public async Task TestSend_SentTwice_MailsOnce_AndRedirectsToThePreviewWithoutTheHandler()
    {
        var preview = $"/admin/articles/preview/{_articleId}";
        var form = await FormAsync(preview, new() { ["email"] = "tester@example.test" });

        var first = await PostAsync(preview + "?handler=Test", form);
        var again = await PostAsync(preview + "?handler=Test", form);

        await first.ReadRedirectAsync(preview);
        await again.ReadRedirectAsync(preview);
        var page = WebUtility.HtmlDecode(await _editor.GetStringAsync(preview));
        Assert.Contains("Sent a test to tester@example.test.", page);
        Assert.Contains("value=\"tester@example.test\"", page);
        // A later test, sent after both, arrives: had the repeat mailed, its mail would be there before it.
        var later = await FormAsync(preview, new() { ["email"] = "later@example.test" });
        await (await PostAsync(preview + "?handler=Test", later)).ReadRedirectAsync(preview);
        await _app.Smtp.WaitForAsync(2);
        Assert.Single(_app.Smtp.To("tester@example.test"));
        Assert.Single(_app.Smtp.To("later@example.test"));
    }

    [SkippableFact]
    public async Task TestSend_ToAnInvalidAddress_ShowsTheFormAgainWithTheError_AndTheSameIdCanThenSend()
    {
        var preview = $"/admin/articles/preview/{_articleId}";
        var form = await FormAsync(preview, new() { ["email"] = "not an address" });

        var refused = await PostAsync(preview + "?handler=Test", form);
        form["email"] = "tester@example.test";
        var fixedUp = await PostAsync(preview + "?handler=Test", form);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        await fixedUp.ReadRedirectAsync(preview);
        await _app.Smtp.WaitForAsync(1);
        Assert.Single(_app.Smtp.To("tester@example.test"));
    }

    [SkippableTheory]
    [InlineData("/admin/settings", "?handler=Test")]
    [InlineData("/admin/digests", "?handler=Run&cadence=daily")]
    public async Task ActionThatShowsAResult_RedirectsBackToItsPage_SoAReloadRepeatsNothing(string page, string handler)
    {
        var form = await FormAsync(page, [], once: false);

        var answer = await PostAsync(page + handler, form);

        await answer.ReadRedirectAsync(page);
        var shown = await _editor.GetStringAsync(page);
        Assert.Contains(page.EndsWith("settings") ? "alert ok" : "No daily digest was sent", shown);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*? value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"submission\" value=\"([^\"]+)\"")]
    private static partial Regex Submission();
}
