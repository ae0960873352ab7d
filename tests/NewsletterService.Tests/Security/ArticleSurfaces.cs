using MimeKit;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Security;

/// <summary>
/// What an article must look like wherever it is rendered: the text shown
/// instead of each unsafe URL, and exactly these links and images.
/// </summary>
public sealed record ExpectedArticle(string? Shown, string[] Links, string[] Images);

/// <summary>
/// One service (SQLite) shared by the hostile-link tests: a confirmed reader, an editor logged in to the dashboard and a
/// local feed server. Looks at an article everywhere it is rendered: the public page, both previews, the dashboard's
/// article pages and the mail a reader receives.
/// </summary>
public sealed class ArticleSurfaces : IAsyncLifetime
{
    public const string Reader = "reader@example.test";
    private int _next;

    public NewsletterApp App { get; private set; } = null!;
    public HttpClient Editor { get; private set; } = null!;
    public StaticWebServer Web { get; } = new();

    public async Task InitializeAsync()
    {
        // The feeds are on a loopback server: allowed explicitly, as feeds refuse private addresses by default.
        App = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?> { ["Feeds:AllowPrivateNetworks"] = "true" });
        await App.ConfirmedSubscriberAsync(Reader);
        Editor = App.Anonymous();
        await (await Editor.LoginAsync()).ReadRedirectAsync("/admin");
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Web.DisposeAsync();
    }

    /// <summary>A title no other test uses, so that the mail can be told apart by its subject.</summary>
    public string NewTitle(string channel) => $"Hostile {channel} {Interlocked.Increment(ref _next)}";

    /// <param name="alreadySent">
    /// True when the mail is on its way already (an auto-sending feed); else a campaign is started for the article.
    /// </param>
    public async Task AssertEverywhereAsync(long articleId, string subject, ExpectedArticle expected, bool alreadySent = false)
    {
        AssertArticleHtml("public page", await App.Anonymous().GetStringAsync($"/articles/{articleId}"), expected);
        AssertArticleHtml("dashboard preview", await Editor.GetStringAsync($"/admin/articles/{articleId}/email"), expected);
        AssertArticleHtml("API preview", await App.Admin().GetStringAsync($"/api/articles/{articleId}/preview"), expected);
        foreach (var page in new[] { "/admin/articles", $"/admin/articles/edit/{articleId}", $"/admin/articles/preview/{articleId}" })
            RenderedUrls.AssertNoUnsafeUrl(await Editor.GetStringAsync(page), page);

        if (!alreadySent) await App.Admin().WaitForCampaignAsync(await App.Admin().StartCampaignAsync(articleId));
        var mail = await MailAsync(subject);
        AssertArticleHtml("mail HTML part", mail.HtmlBody ?? "", expected);
        var text = mail.TextBody ?? "";
        AssertText("mail text part", text, expected);
        foreach (var link in expected.Links) Assert.Contains(Uri.UnescapeDataString(link), Uri.UnescapeDataString(text));
    }

    private static void AssertArticleHtml(string where, string html, ExpectedArticle expected)
    {
        RenderedUrls.AssertNoUnsafeUrl(html, where);
        var content = RenderedUrls.Parse(html).QuerySelector("td.content")
            ?? throw new InvalidOperationException($"{where}: no article content in {html}");
        var (links, images) = RenderedUrls.Targets(content);
        // Compared unescaped: the renderer may escape more characters ('[' as %5B) than the URL was stored with.
        Assert.True(expected.Links.Select(Uri.UnescapeDataString).SequenceEqual(links.Select(Uri.UnescapeDataString)),
            $"{where}: links [{string.Join(", ", links)}], expected [{string.Join(", ", expected.Links)}]");
        Assert.True(expected.Images.SequenceEqual(images),
            $"{where}: images [{string.Join(", ", images)}], expected [{string.Join(", ", expected.Images)}]");
        AssertText(where, content.TextContent, expected);
    }

    /// <summary>The text shown is there; outside it, nothing of the hostile URLs is.</summary>
    private static void AssertText(string where, string text, ExpectedArticle expected)
    {
        if (expected.Shown is null) return;
        var collapsed = RenderedUrls.Collapse(text);
        Assert.True(collapsed.Contains(expected.Shown), $"{where}: '{expected.Shown}' is not in: {collapsed}");
        var rest = collapsed.Replace(expected.Shown, "");
        Assert.All(HostileMarkdown.Payloads, payload => Assert.True(!rest.Contains(payload), $"{where}: '{payload}' is in: {collapsed}"));
    }

    private async Task<MimeMessage> MailAsync(string subject)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (App.Smtp.To(Reader).FirstOrDefault(m => m.Subject == subject) is { } mail) return mail;
            if (DateTime.UtcNow > until) throw new TimeoutException($"No mail '{subject}' reached {Reader}.");
            await Task.Delay(50);
        }
    }
}
