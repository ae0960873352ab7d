using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using NewsletterService.Security;

namespace NewsletterService.Accounts;

/// <summary>
/// The links in invitation and password-reset mails carry Identity tokens from data protection (the key ring every web
/// process shares): each names the account and holds its security stamp, so setting a password (which changes the
/// stamp) spends it; an invitation link lasts <c>Admin:InvitationLifetime</c>, a reset link <c>Admin:PasswordResetLifetime</c>.
/// </summary>
public static class AccountTokens
{
    public const string Invitation = "Invitation", PasswordReset = "PasswordReset";

    public sealed class InvitationProvider(
        IDataProtectionProvider protection, IOptions<InvitationProvider.Lifetime> options, ILogger<DataProtectorTokenProvider<Account>> log)
        : DataProtectorTokenProvider<Account>(protection, options, log)
    {
        public sealed class Lifetime : DataProtectionTokenProviderOptions;
    }

    public sealed class PasswordResetProvider(
        IDataProtectionProvider protection, IOptions<PasswordResetProvider.Lifetime> options, ILogger<DataProtectorTokenProvider<Account>> log)
        : DataProtectorTokenProvider<Account>(protection, options, log)
    {
        public sealed class Lifetime : DataProtectionTokenProviderOptions;
    }

    public static IdentityBuilder AddAccountTokens(this IdentityBuilder identity)
    {
        identity.Services.AddOptions<InvitationProvider.Lifetime>().Configure<IOptions<AdminOptions>>((o, admin) =>
        {
            o.Name = Invitation;
            o.TokenLifespan = admin.Value.InvitationLifetime;
        });
        identity.Services.AddOptions<PasswordResetProvider.Lifetime>().Configure<IOptions<AdminOptions>>((o, admin) =>
        {
            o.Name = PasswordReset;
            o.TokenLifespan = admin.Value.PasswordResetLifetime;
        });
        identity.Services.Configure<IdentityOptions>(o => o.Tokens.PasswordResetTokenProvider = PasswordReset);
        return identity.AddTokenProvider<InvitationProvider>(Invitation).AddTokenProvider<PasswordResetProvider>(PasswordReset);
    }
}
