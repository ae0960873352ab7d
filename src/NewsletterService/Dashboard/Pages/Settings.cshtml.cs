using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages;

/// <summary>The effective SMTP and sender settings (passwords never shown) and an SMTP connection test.</summary>
[RequirePermission(Permission.Settings)]
public sealed class SettingsModel(IOptions<SmtpOptions> smtp, IOptions<NewsletterOptions> newsletter, SmtpConnectionTest test) : PageModel
{
    public SmtpOptions Smtp => smtp.Value;
    public NewsletterOptions Newsletter => newsletter.Value;
    public Notice[] Tests { get; private set; } = [];

    public void OnGet() => Tests = TempData.Take<Notice[]>(nameof(Tests)) ?? [];

    [RequirePermission(Permission.Settings)]
    public async Task<RedirectToPageResult> OnPostTestAsync(CancellationToken ct)
    {
        TempData.Put(nameof(Tests), await test.RunAsync(ct));
        return RedirectToPage(); // Post/Redirect/Get: a reload does not test again
    }
}
