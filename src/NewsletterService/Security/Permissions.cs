using System.Security.Claims;

namespace NewsletterService.Security;

/// <summary>What an account may do. Every dashboard page and action and every API endpoint names the one it needs.</summary>
public enum Permission
{
    /// <summary>See articles, campaigns, subscribers, lists, feeds, digests and the numbers.</summary>
    Read,

    /// <summary>Write, import, edit, publish and delete articles; add and poll feeds; send a test mail of an article.</summary>
    Prepare,

    /// <summary>Start, schedule, pause, resume and cancel campaigns and digests (and approve a writer's campaign).</summary>
    Send,

    /// <summary>Import, unsubscribe, suppress and delete subscribers; create, rename and delete lists.</summary>
    ManageSubscribers,

    /// <summary>Download the subscribers as CSV.</summary>
    Export,

    /// <summary>The background jobs dashboard (<c>/hangfire</c>): retry, delete and trigger jobs.</summary>
    Jobs,

    /// <summary>Invite accounts, change their roles, disable and remove them, require two-factor sign-in.</summary>
    ManageAccounts,

    /// <summary>The settings page and its SMTP connection test.</summary>
    Settings,
}

/// <summary>The four roles and what each may do; an account has exactly one.</summary>
public static class AccountRoles
{
    public const string Owner = "owner", Editor = "editor", Writer = "writer", Viewer = "viewer";

    public static readonly IReadOnlyList<string> All = [Owner, Editor, Writer, Viewer];

    private static readonly Dictionary<string, Permission[]> Table = new(StringComparer.Ordinal)
    {
        [Owner] = Enum.GetValues<Permission>(),
        [Editor] = [Permission.Read, Permission.Prepare, Permission.Send, Permission.ManageSubscribers, Permission.Export],
        [Writer] = [Permission.Read, Permission.Prepare],
        [Viewer] = [Permission.Read],
    };

    /// <summary>The role with its article, for sentences: "an editor", "a writer".</summary>
    public static string WithArticle(string role) => (role is ['a' or 'e' or 'i' or 'o' or 'u', ..] ? "an " : "a ") + role;

    public static bool IsRole(string? role) => role is not null && Table.ContainsKey(role);

    public static IReadOnlyList<Permission> PermissionsOf(string role) => Table.GetValueOrDefault(role) ?? [];

    /// <summary>Whether the role grants <paramref name="permission"/>.</summary>
    public static bool Grants(string role, Permission permission) => PermissionsOf(role).Contains(permission);

    /// <summary>Whether the signed-in account (or API key) may do <paramref name="permission"/>.</summary>
    public static bool Can(this ClaimsPrincipal user, Permission permission) =>
        user.Identity?.IsAuthenticated == true && user.FindAll(ClaimTypes.Role).Any(r => Grants(r.Value, permission));
}
