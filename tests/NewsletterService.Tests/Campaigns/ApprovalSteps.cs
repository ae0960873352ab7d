using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Campaigns;

/// <summary>The approval flow's steps as a writer and an editor take them, on the dashboard and through the API.</summary>
public static class ApprovalSteps
{
    public const string Writer = "writer@newsroom.test", Editor = "second.editor@newsroom.test";

    public static string DetailsPath(long id) => $"/admin/campaigns/details/{id}";

    /// <summary>An article, <paramref name="readers"/> readers, a writer and a second editor (the configured owner is the first).</summary>
    public static async Task<long> NewsroomAsync(this NewsletterApp app, int readers = 3)
    {
        var admin = app.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        await admin.ImportSubscribersAsync(Api.Csv(readers));
        await app.AddAccountAsync(Writer, "writer");
        await app.AddAccountAsync(Editor, "editor");
        return article;
    }

    /// <summary>The writer's campaign form, confirmed with the audience it shows: the campaign's id.</summary>
    public static async Task<long> SubmitCampaignAsync(this HttpClient writer, long articleId, int audience, DateTime? sendAtUtc = null)
    {
        var form = new Dictionary<string, string>
        {
            ["articleId"] = articleId.ToString(CultureInfo.InvariantCulture), ["when"] = sendAtUtc is null ? "now" : "later",
            ["timeZone"] = "UTC", ["confirm"] = audience.ToString(CultureInfo.InvariantCulture),
            ["sendAt"] = sendAtUtc?.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) ?? "",
        };
        var response = await writer.PostFormAsync("/admin/campaigns", form);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return long.Parse(response.Headers.Location!.OriginalString.Split('/')[^1], CultureInfo.InvariantCulture);
    }

    /// <summary>A post to one of the campaign page's actions (Approve, Return, Submit, Cancel).</summary>
    public static Task<HttpResponseMessage> OnDetailsAsync(this HttpClient browser, long id, string handler,
        Dictionary<string, string>? fields = null) =>
        browser.PostFormAsync($"{DetailsPath(id)}?handler={handler}", fields ?? [], formPage: DetailsPath(id));

    public static Task<HttpResponseMessage> ApproveAsync(this HttpClient admin, long id) =>
        admin.PostAsync($"/api/campaigns/{id}/approve", null);

    public static Task<HttpResponseMessage> ReturnAsync(this HttpClient admin, long id, string? comment) =>
        admin.PostAsJsonAsync($"/api/campaigns/{id}/return", new { comment });

    public static async Task<string> StatusAsync(this HttpClient admin, long id) =>
        (await admin.GetCampaignAsync(id))["status"]!.GetValue<string>();

    /// <summary>The actions the audit log holds for the campaign, oldest first.</summary>
    public static Task<List<string>> AuditAsync(this NewsletterApp app, long id) =>
        app.WithDbAsync(db => db.AuditEntries.Where(e => e.Target == $"campaign {id}").OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());

    public static Task<JsonNode> AsJsonAsync(this HttpResponseMessage response) => response.ReadJsonAsync(HttpStatusCode.OK);

    /// <summary>Waits until <paramref name="address"/> has <paramref name="count"/> mails; the last one.</summary>
    public static async Task<MimeKit.MimeMessage> MailToAsync(this NewsletterApp app, string address, int count = 1)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (app.Smtp.To(address).Count < count)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"{address} has {app.Smtp.To(address).Count} mails, not {count}.");
            await Task.Delay(50);
        }
        return app.Smtp.To(address)[count - 1];
    }
}
