using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Infrastructure;

namespace NewsletterService.Accounts;

/// <summary>
/// Per-account API keys: made on the account's own page (shown once), listed by name and prefix, revoked; and looked up
/// for <c>Authorization: Bearer</c> by <see cref="Security.ApiKeyAuthentication"/>.
/// </summary>
public sealed class AccountApiKeys(IDbContextFactory<NewsletterDb> dbs, AuditLog audit, TimeProvider time)
{
    public const string KeyStart = "nsk_";
    public const int MaxKeysPerAccount = 20;
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    public sealed record KeyView(long Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt);

    /// <summary>Who a key belongs to and the account's role now.</summary>
    public sealed record KeyOwner(long KeyId, string UserId, string Email, string Role);

    public async Task<List<KeyView>> OfAsync(string userId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.ApiKeys.Where(k => k.UserId == userId).OrderBy(k => k.CreatedAt)
            .Select(k => new KeyView(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt)).ToListAsync(ct);
    }

    /// <summary>Makes a key for <paramref name="userId"/>; the key itself is in the answer only.</summary>
    public async Task<Outcome<(KeyView View, string Key)>> CreateAsync(string userId, string email, string? name, CancellationToken ct)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > AccountApiKey.MaxName || name.Any(char.IsControl))
            return Refusal.Invalid("name", $"Give the key a name of 1 to {AccountApiKey.MaxName} characters, e.g. the script that uses it.");
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.ApiKeys.CountAsync(k => k.UserId == userId, ct) >= MaxKeysPerAccount)
            return Refusal.Conflict($"An account can have at most {MaxKeysPerAccount} keys; revoke one first.");
        var key = KeyStart + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var row = new AccountApiKey
        {
            UserId = userId, Name = name, Prefix = key[..(KeyStart.Length + 6)], Hash = Hash(key), CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("api-key.created", "account " + email, new { name, prefix = row.Prefix });
        return (new KeyView(row.Id, row.Name, row.Prefix, row.CreatedAt, null), key);
    }

    public async Task<bool> RevokeAsync(string userId, string email, long keyId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.UserId == userId, ct);
        if (key is null) return false;
        db.ApiKeys.Remove(key);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("api-key.revoked", "account " + email, new { name = key.Name, prefix = key.Prefix });
        return true;
    }

    /// <summary>The key's account and its role, when the key exists and the account is active; else null (one query).</summary>
    public async Task<KeyOwner?> FindAsync(string key, CancellationToken ct)
    {
        if (!key.StartsWith(KeyStart, StringComparison.Ordinal) || key.Length > 100) return null;
        var hash = Hash(key);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await (from k in db.ApiKeys
                         where k.Hash == hash
                         join u in db.Users on k.UserId equals u.Id
                         select new
                         {
                             k.Id, k.LastUsedAt, u.Email, u.LockoutEnd, UserId = u.Id,
                             Role = (from ur in db.UserRoles where ur.UserId == u.Id select ur.RoleId).FirstOrDefault(),
                         }).AsNoTracking().FirstOrDefaultAsync(ct);
        if (row?.Role is null || Account.Disables(row.LockoutEnd)) return null;
        var now = time.GetUtcNow().UtcDateTime;
        if (row.LastUsedAt is not { } last || now - last >= TouchEvery)
            await db.ApiKeys.Where(k => k.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastUsedAt, now), ct);
        return new KeyOwner(row.Id, row.UserId, row.Email!, row.Role);
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
