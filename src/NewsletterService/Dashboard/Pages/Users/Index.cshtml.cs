using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NewsletterService.Accounts;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages.Users;

/// <summary>The dashboard accounts: invite by address and role, change roles, disable, enable, remove (owners only).</summary>
[RequirePermission(Permission.ManageAccounts)]
public sealed class IndexModel(AccountDirectory directory, UserManager<NewsletterService.Accounts.Account> users, IOptions<AdminOptions> admin) : PageModel
{
    /// <summary>How long an invitation link works, in words.</summary>
    public string InvitationValidFor => AccountMailJobs.Hours(admin.Value.InvitationLifetime);

    public EditorTime Time { get; private set; } = null!;
    public List<AccountDirectory.AccountView> Accounts { get; private set; } = [];
    public string? MyId { get; private set; }
    public Dictionary<string, string?> Values { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Time = EditorTime.For(HttpContext);
        MyId = users.GetUserId(User);
        Accounts = await directory.AllAsync(ct);
    }

    [RequirePermission(Permission.ManageAccounts)]
    public async Task<IActionResult> OnPostInviteAsync(string? email, string? role, CancellationToken ct)
    {
        var outcome = await directory.InviteAsync(new AccountDirectory.Invite(email, role), ct);
        if (outcome.Value is { } invited)
        {
            TempData["Message"] = $"Invited {invited.Email} as {AccountRoles.WithArticle(invited.Role)}. The link in the mail works for {InvitationValidFor}.";
            return RedirectToPage();
        }
        Values = new() { ["email"] = email, ["role"] = role };
        Errors = outcome.Refusal!.ByField;
        await OnGetAsync(ct);
        return Page();
    }

    [RequirePermission(Permission.ManageAccounts)]
    public Task<IActionResult> OnPostRoleAsync(string id, string? role, CancellationToken ct) =>
        ChangeAsync(id, new AccountDirectory.Change(role, null), a => $"{a.Email} is now {AccountRoles.WithArticle(a.Role)}.", ct);

    [RequirePermission(Permission.ManageAccounts)]
    public Task<IActionResult> OnPostDisableAsync(string id, CancellationToken ct) =>
        ChangeAsync(id, new AccountDirectory.Change(null, true), a => $"Disabled {a.Email}: signed out everywhere, and cannot sign in.", ct);

    [RequirePermission(Permission.ManageAccounts)]
    public Task<IActionResult> OnPostEnableAsync(string id, CancellationToken ct) =>
        ChangeAsync(id, new AccountDirectory.Change(null, false), a => $"Enabled {a.Email} again.", ct);

    [RequirePermission(Permission.ManageAccounts)]
    public async Task<IActionResult> OnPostResendAsync(string id, CancellationToken ct)
    {
        var outcome = await directory.ResendInvitationAsync(id, ct);
        if (outcome.Value is { } a) TempData["Message"] = $"Sent the invitation to {a.Email} again.";
        else TempData["Error"] = outcome.Refusal!.Detail;
        return RedirectToPage();
    }

    [RequirePermission(Permission.ManageAccounts)]
    public async Task<IActionResult> OnPostDeleteAsync(string id, CancellationToken ct)
    {
        var email = (await directory.FindAsync(id, ct))?.Email;
        if (await directory.DeleteAsync(id, users.GetUserId(User), ct) is { } refusal) TempData["Error"] = refusal.Detail;
        else TempData["Message"] = $"Removed the account {email}.";
        return RedirectToPage();
    }

    private async Task<IActionResult> ChangeAsync(
        string id, AccountDirectory.Change change, Func<AccountDirectory.AccountView, string> done, CancellationToken ct)
    {
        var outcome = await directory.ChangeAsync(id, change, users.GetUserId(User), ct);
        if (outcome.Value is { } changed) TempData["Message"] = done(changed);
        else TempData["Error"] = outcome.Refusal!.Detail;
        return RedirectToPage();
    }
}
