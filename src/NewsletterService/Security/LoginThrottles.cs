using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;

namespace NewsletterService.Security;

/// <summary>
/// Two gates before a password is checked, both in the <see cref="LoginThrottle"/> table so that all web processes
/// count together. Per account and client address: <c>Admin:LoginFailuresBeforeDelay</c> tries, then waits of
/// <c>Admin:LoginFirstDelay</c>, doubling up to <c>Admin:LoginMaxDelay</c>, until a login from there succeeds. Per
/// account over all addresses: <c>Admin:LoginAttemptsPerMinute</c> (a known device skips this gate, so that guessing
/// from many addresses cannot keep the admin out). Each gate changes with one conditional statement (a version check),
/// so processes letting tries through at the same moment cannot let through more than the gate allows.
/// </summary>
public sealed class LoginThrottles(IDbContextFactory<NewsletterDb> dbs, SigningKey key, IOptions<AdminOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private AdminOptions Admin => options.Value;

    /// <summary>Lets one try through both gates, or says how long to wait before the next one is checked.</summary>
    public async Task<TimeSpan> EnterAsync(string account, IPAddress? address, bool knownDevice, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var pair = PairKey(account, address);
        // Looked at first without counting: a try the account gate refuses must not lengthen this address's delays.
        if (await PeekAsync(pair, now, ct) is var wait && wait > TimeSpan.Zero) return wait;
        if (!knownDevice && await TakeAsync(Key("account", account), now, AccountGate, ct) is var full && full > TimeSpan.Zero) return full;
        return await TakeAsync(pair, now, PairGate, ct);
    }

    /// <summary>After a successful login: the address's failures for the account are forgotten.</summary>
    public async Task ClearAsync(string account, IPAddress? address, CancellationToken ct)
    {
        var pair = PairKey(account, address);
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.LoginThrottles.Where(t => t.Key == pair).ExecuteDeleteAsync(ct);
    }

    private async Task<TimeSpan> PeekAsync(string pair, DateTime now, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await db.LoginThrottles.AsNoTracking().FirstOrDefaultAsync(t => t.Key == pair, ct);
        return row is null ? TimeSpan.Zero : PairGate(row, now);
    }

    /// <summary>
    /// Reads the gate and writes it back changed by <paramref name="gate"/> only if nobody changed it meanwhile
    /// (<c>UPDATE ... WHERE Version = read</c>, or the insert of a new row); otherwise reads it again.
    /// </summary>
    private async Task<TimeSpan> TakeAsync(string gateKey, DateTime now, Func<LoginThrottle, DateTime, TimeSpan> gate, CancellationToken ct)
    {
        var raced = false;
        for (var round = 1; round <= 20; round++)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var row = await db.LoginThrottles.FirstOrDefaultAsync(t => t.Key == gateKey, ct);
            var isNew = row is null;
            if (isNew)
            {
                // Rows nobody has tried for a while mean nothing any more: made-up accounts and addresses do not pile up.
                var stale = now - Admin.LoginFailureMemory;
                await db.LoginThrottles.Where(t => t.UpdatedAt < stale && t.NextAttemptAt < now).ExecuteDeleteAsync(ct);
                row = db.LoginThrottles.Add(new LoginThrottle { Key = gateKey, NextAttemptAt = now, UpdatedAt = now }).Entity;
            }
            if (gate(row!, now) is var wait && wait > TimeSpan.Zero) return wait;
            row!.UpdatedAt = now;
            row.Version++;
            try
            {
                await db.SaveChangesAsync(ct);
                return TimeSpan.Zero;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another process let a try through since this one read the gate: look again.
            }
            catch (DbUpdateException) when (isNew && !raced)
            {
                raced = true; // another process added the row a moment ago: count on it
            }
        }
        return Admin.LoginFirstDelay; // the gate is that busy: this try waits
    }

    /// <summary>Per account and address: free tries, then delays doubling up to the cap.</summary>
    private TimeSpan PairGate(LoginThrottle row, DateTime now)
    {
        if (row.UpdatedAt < now - Admin.LoginFailureMemory) row.Attempts = 0;
        if (row.NextAttemptAt > now) return row.NextAttemptAt - now;
        row.Attempts++;
        row.NextAttemptAt = now + DelayAfter(row.Attempts);
        return TimeSpan.Zero;
    }

    /// <summary>The wait after <paramref name="failures"/> failures in a row (a try counts as failed until it succeeds).</summary>
    private TimeSpan DelayAfter(int failures)
    {
        var beyond = failures - Admin.LoginFailuresBeforeDelay;
        if (beyond < 0) return TimeSpan.Zero;
        var delay = Admin.LoginFirstDelay.Ticks * Math.Pow(2, Math.Min(beyond, 40));
        return delay >= Admin.LoginMaxDelay.Ticks ? Admin.LoginMaxDelay : TimeSpan.FromTicks((long)delay);
    }

    /// <summary>
    /// Per account over all addresses, a generic cell rate: each try moves <see cref="LoginThrottle.NextAttemptAt"/> one
    /// interval (a minute / tries per minute) further; a try is let through while that stays within a minute from now.
    /// </summary>
    private TimeSpan AccountGate(LoginThrottle row, DateTime now)
    {
        var interval = Window / Admin.LoginAttemptsPerMinute;
        var next = (row.NextAttemptAt > now ? row.NextAttemptAt : now) + interval;
        if (next - now > Window) return next - now - Window;
        row.Attempts++;
        row.NextAttemptAt = next;
        return TimeSpan.Zero;
    }

    private string PairKey(string account, IPAddress? address) => Key("pair", account + "\n" + AddressOf(address));

    /// <summary>IPv4 as it is; IPv6 by its /64, the block one subscriber usually holds whole.</summary>
    private static string AddressOf(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private string Key(string kind, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key.Bytes, Encoding.UTF8.GetBytes("login-" + kind + "\n" + value)));
}
