using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;
using NewsletterService.Infrastructure;

namespace NewsletterService.Security;

/// <summary>
/// The key behind every signed link. From <c>Newsletter:SigningKey</c> when set; otherwise generated once and kept
/// in the database, so that every process of a scaled-out deployment signs and checks with the same key.
/// </summary>
public sealed class SigningKey
{
    private const string SettingKey = "link-signing-key";
    private byte[]? _bytes;

    public byte[] Bytes => _bytes ?? throw new InvalidOperationException("The signing key is loaded at start-up, after migrations.");

    /// <summary>Derives the key from a configured secret.</summary>
    public void Use(string secret) => _bytes = SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public async Task LoadAsync(IServiceProvider services, CancellationToken ct)
    {
        var configured = services.GetRequiredService<IOptions<NewsletterOptions>>().Value.SigningKey;
        if (!string.IsNullOrEmpty(configured))
        {
            Use(configured);
            return;
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDb>();
        var stored = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == SettingKey, ct);
        if (stored is null)
        {
            try
            {
                db.Settings.Add(stored = new AppSetting
                {
                    Key = SettingKey, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                });
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another process generated it first: use theirs.
                db.ChangeTracker.Clear();
                stored = await db.Settings.AsNoTracking().FirstAsync(s => s.Key == SettingKey, ct);
            }
        }
        _bytes = Convert.FromBase64String(stored.Value);
    }
}
