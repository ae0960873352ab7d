using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Articles;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Rendering;
using NewsletterService.Security;
using NewsletterService.Subscriptions;

namespace NewsletterService.Dashboard.Pages.Articles;

/// <summary>
/// The article's email at desktop and mobile widths, and a test send of it to one address (then back here, so that a
/// reload sends nothing).
/// </summary>
[RequirePermission(Permission.Read)]
public sealed class PreviewModel(
    NewsletterDb db, ArticleCampaignKind articles, MessageFactory messages, IMailSender sender, ILogger<PreviewModel> log)
    : PageModel
{
    [FromRoute] public long Id { get; set; }
    public Article Article { get; private set; } = null!;
    public Notice? TestResult { get; private set; }
    public string? TestAddress { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await db.Articles.FindAsync([Id], ct) is not { } article)
        {
            TempData["Error"] = $"There is no article {Id}.";
            return RedirectToPage("Index");
        }
        Article = article;
        TestResult = TempData.Take<Notice>(nameof(TestResult));
        TestAddress = TempData[nameof(TestAddress)] as string;
        return Page();
    }

    [RequirePermission(Permission.Prepare)]
    public async Task<IActionResult> OnPostTestAsync(string? email, CancellationToken ct)
    {
        if (await OnGetAsync(ct) is not PageResult page) return RedirectToPage("Index");
        TestAddress = email;
        if (!EmailAddress.TryParse(email, out var address, out var error))
        {
            TestResult = new(false, error);
            return page;
        }
        var content = await articles.RenderAsync(Article, ct);
        var body = content.Email.For(new RecipientValues(null, "#unsubscribe", "#preferences"));
        try
        {
            await sender.SendAsync(messages.Create("[Test] " + content.Subject, body, address.Display, (string?)null), messages.Sender, ct);
            log.LogInformation("Test of article {ArticleId} sent to {Email}", Id, address.Display);
            TempData.Put(nameof(TestResult), new Notice(true, $"Sent a test to {address.Display}."));
        }
        catch (Exception e) when (SmtpFailure.TryClassify(e, out var failure))
        {
            log.LogWarning("Test of article {ArticleId} to {Email} failed: {Reason}", Id, address.Display, failure.Reason);
            TempData.Put(nameof(TestResult), new Notice(false, $"The test could not be sent: {failure.Reason}"));
        }
        TempData[nameof(TestAddress)] = address.Display;
        return RedirectToPage(new { id = Id }); // Post/Redirect/Get: reloading the page sends nothing
    }
}
