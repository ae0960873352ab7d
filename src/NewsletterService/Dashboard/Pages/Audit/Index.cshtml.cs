using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages.Audit;

/// <summary>The audit log, newest first, filtered by actor, action and days (in the editor's time zone), paged.</summary>
[RequirePermission(Permission.ManageAccounts)]
public sealed class IndexModel(NewsletterDb db) : PageModel
{
    private const int PageSize = 50;

    [FromQuery] public string? Actor { get; set; }
    [FromQuery] public string? Action { get; set; }
    [FromQuery] public string? From { get; set; }
    [FromQuery] public string? To { get; set; }

    public EditorTime Time { get; private set; } = null!;
    public List<AuditEntry> Entries { get; private set; } = [];
    public List<string> Actions { get; private set; } = [];
    public int Total { get; private set; }
    public Pager Pager { get; private set; } = null!;
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync([FromQuery(Name = "p")] int page, CancellationToken ct)
    {
        Time = EditorTime.For(HttpContext);
        Actions = await db.AuditEntries.Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
        var query = AuditQuery.Parse(Actor, Action, From, To, Time.Zone);
        if (query.Refusal is { } refusal) Errors = refusal.ByField;
        var entries = query.Value?.Apply(db.AuditEntries.AsNoTracking()) ?? db.AuditEntries.Where(e => false);
        Total = await entries.CountAsync(ct);
        Pager = new Pager(page, PageSize, Total, Request.Query);
        Entries = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip(Pager.Skip).Take(PageSize).ToListAsync(ct);
    }

    /// <summary>An entry's details as name and value pairs (nested values as their JSON).</summary>
    public static IEnumerable<(string Name, string Value)> Details(string? json)
    {
        if (json is null) yield break;
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object) yield break;
        foreach (var property in document.RootElement.EnumerateObject())
            yield return (property.Name,
                property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText());
    }
}
