using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Audit;

public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).RequirePermission(Permission.ManageAccounts);
        return api;
    }

    public sealed record AuditView(
        long Id, DateTime At, string Actor, string Action, string? Target, JsonElement? Details, string? ClientAddress)
    {
        public static AuditView Of(AuditEntry e) => new(e.Id, e.At, e.Actor, e.Action, e.Target,
            e.Details is null ? null : JsonSerializer.Deserialize<JsonElement>(e.Details), e.ClientAddress);
    }

    /// <summary>
    /// <c>GET /api/audit?actor=&amp;action=&amp;from=&amp;to=&amp;page=&amp;pageSize=</c>: newest first; days in <c>from</c> and
    /// <c>to</c> are UTC days. A filter it cannot read is a 400 naming it.
    /// </summary>
    private static async Task<IResult> ListAsync(NewsletterDb db, CancellationToken ct,
        string? actor = null, string? action = null, string? from = null, string? to = null, string? page = null, string? pageSize = null)
    {
        if (!TryNumber(page, 1, out var p)) return Problems.Invalid("page", "page must be a whole number from 1.");
        if (!TryNumber(pageSize, 50, out var size)) return Problems.Invalid("pageSize", "pageSize must be a whole number from 1 to 500.");
        var query = AuditQuery.Parse(actor, action, from, to, TimeZoneInfo.Utc);
        if (query.Refusal is { } refusal) return refusal.Problem();
        (p, size) = Paging.Clamp(p, size);
        var entries = query.Value!.Apply(db.AuditEntries.AsNoTracking());
        var items = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(Paging.Skip(p, size)).Take(size).ToListAsync(ct);
        return Results.Ok(new { page = p, pageSize = size, total = await entries.CountAsync(ct), items = items.Select(AuditView.Of) });
    }

    private static bool TryNumber(string? value, int fallback, out int number)
    {
        number = fallback;
        return string.IsNullOrEmpty(value)
            || (int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out number) && number >= 1);
    }
}
