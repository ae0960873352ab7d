using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NewsletterService.Accounts;
using NewsletterService.Bounces;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages;

/// <summary>The effective SMTP, sender and mailbox settings (passwords never shown) and an SMTP connection test.</summary>
[RequirePermission(Permission.Settings)]
public sealed class SettingsModel(
    IOptions<SmtpOptions> smtp, IOptions<NewsletterOptions> newsletter, IOptions<MailboxesOptions> mailboxes, SmtpConnectionTest test,
    TwoFactorRequirement twoFactor) : PageModel
{
    public SmtpOptions Smtp => smtp.Value;
    public MailboxesOptions Mailboxes => mailboxes.Value;
    public NewsletterOptions Newsletter => newsletter.Value;
    public Notice[] Tests { get; private set; } = [];

    public bool TwoFactorRequired { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Tests = TempData.Take<Notice[]>(nameof(Tests)) ?? [];
        TwoFactorRequired = await twoFactor.IsOnAsync(ct);
    }

    /// <summary>Requires two-factor sign-in of every account (stored in the database: every web process agrees), or stops.</summary>
    [RequirePermission(Permission.ManageAccounts)]
    public async Task<RedirectToPageResult> OnPostTwoFactorAsync(bool required, CancellationToken ct)
    {
        await twoFactor.SetAsync(required, ct);
        TempData["Message"] = required
            ? "Two-factor sign-in is now required: accounts without it are asked to set it up before anything else."
            : "Two-factor sign-in is no longer required.";
        return RedirectToPage();
    }

    [RequirePermission(Permission.Settings)]
    public async Task<RedirectToPageResult> OnPostTestAsync(CancellationToken ct)
    {
        TempData.Put(nameof(Tests), await test.RunAsync(ct));
        return RedirectToPage(); // Post/Redirect/Get: a reload does not test again
    }
}
