using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Campaigns;

/// <summary>The dashboard's campaign form creates nothing until the editor confirms the audience it was shown (also without JS).</summary>
public sealed class CampaignConfirmStepTests
{
    [Fact]
    public async Task CampaignForm_PostedWithoutTheConfirmation_OrWithAnotherAudience_CreatesNothing_AndAsksWithTheNumber()
    {
        await using var app = await NewsletterApp.StartAsync();
        var admin = app.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        await admin.ImportSubscribersAsync(Api.Csv(3) + "digest@example.test,Dina\n");
        await app.WithDbAsync(db => db.Subscribers.Where(s => s.EmailKey == "digest@example.test")
            .ExecuteUpdateAsync(x => x.SetProperty(s => s.Cadence, NewsletterService.Subscriptions.Cadence.Weekly)));
        var editor = app.Anonymous();
        await (await editor.LoginAsync()).ReadRedirectAsync("/admin");
        var form = new Dictionary<string, string> { ["articleId"] = article.ToString(), ["when"] = "now" };

        var unconfirmed = await editor.PostFormAsync("/admin/campaigns", form);
        var page = WebUtility.HtmlDecode(await unconfirmed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
        Assert.Contains($"Send “{SampleTexts.Title}” to 3 readers now?", page);
        Assert.Contains("1 on a daily or weekly digest", page);

        var later = new Dictionary<string, string>(form)
        {
            ["when"] = "later", ["timeZone"] = "UTC",
            ["sendAt"] = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        };
        var schedule = WebUtility.HtmlDecode(await (await editor.PostFormAsync("/admin/campaigns", later)).Content.ReadAsStringAsync());
        var title = System.Text.RegularExpressions.Regex.Escape(SampleTexts.Title);
        Assert.Matches($"Schedule “{title}” for .+ \\(UTC\\), to 3 readers\\?", schedule);
        Assert.Contains("Schedule for 3 readers", schedule);

        var stale = await editor.PostFormAsync("/admin/campaigns", new Dictionary<string, string>(form) { ["confirm"] = "2" });
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("the audience has changed from 2 to 3 readers", WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync()));
        var change = await editor.PostFormAsync("/admin/campaigns",
            new Dictionary<string, string>(form) { ["confirm"] = "3", ["change"] = "1" });
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Campaigns.CountAsync()));

        var confirmed = await editor.PostFormAsync("/admin/campaigns", new Dictionary<string, string>(form) { ["confirm"] = "3" });
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var id = await app.WithDbAsync(db => db.Campaigns.Select(c => c.Id).SingleAsync());
        Assert.Equal($"/admin/campaigns/details/{id}", confirmed.Headers.Location!.OriginalString);
        Assert.Equal(3, (await admin.WaitForCampaignAsync(id))["sent"]!.GetValue<int>());
    }
}
