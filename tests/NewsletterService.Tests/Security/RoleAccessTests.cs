using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Security;
using NewsletterService.Tests.Infrastructure;
using static NewsletterService.Security.Permission;

namespace NewsletterService.Tests.Security;

/// <summary>
/// Every endpoint and every dashboard action, each with the permission it needs (or none: public), checked two ways:
/// what the app declares (a new endpoint, page or page handler without a row here fails) and what each role gets over
/// HTTP (an allowed role is let through, a role without the permission gets 403).
/// </summary>
public abstract class RoleAccessTests(Database database)
{
    /// <summary>"METHOD route" (pages: "METHOD route?handler=Name"), and null for a public endpoint.</summary>
    public static readonly Dictionary<string, Permission?> Rules = new()
    {
        // Public: readers, health, assets, the login page.
        ["GET /healthz"] = null,
        ["GET /assets/{name}"] = null,
        ["GET /admin/assets/{name}"] = null,
        ["GET /articles/{id:long}"] = null,
        ["POST /api/subscriptions"] = null,
        ["GET /subscribe"] = null,
        ["POST /subscribe"] = null,
        ["GET /confirm/{token}"] = null,
        ["GET /unsubscribe/{token}"] = null,
        ["POST /unsubscribe/{token}"] = null,
        ["GET /preferences/{token}/"] = null,
        ["POST /preferences/{token}/"] = null,
        ["GET /preferences/{token}/data"] = null,
        ["GET /preferences/{token}/delete"] = null,
        ["POST /preferences/{token}/delete"] = null,
        ["POST /api/webhooks/bounces"] = null,
        ["GET /o/{token}"] = null,
        ["GET /r/{token}"] = null,
        ["GET /admin/login"] = null,
        ["POST /admin/login"] = null,
        ["GET /admin/password/forgot"] = null,
        ["POST /admin/password/forgot"] = null,
        ["GET /admin/password/reset"] = null,
        ["POST /admin/password/reset"] = null,
        ["GET /admin/password/invitation"] = null,
        ["POST /admin/password/invitation"] = null,
        ["GET /admin/login/code"] = null,
        ["POST /admin/login/code"] = null,

        // The API.
        ["GET /api/articles/"] = Read,
        ["GET /api/articles/{id:long}"] = Read,
        ["GET /api/articles/{id:long}/preview"] = Read,
        ["POST /api/articles/"] = Prepare,
        ["POST /api/articles/import"] = Prepare,
        ["PUT /api/articles/{id:long}"] = Prepare,
        ["DELETE /api/articles/{id:long}"] = Prepare,
        ["POST /api/articles/{id:long}/publish"] = Prepare,
        ["POST /api/articles/{id:long}/unpublish"] = Prepare,
        ["GET /api/subscribers/"] = Read,
        ["GET /api/subscribers/{id:long}"] = Read,
        ["POST /api/subscribers/import"] = ManageSubscribers,
        ["GET /api/lists/"] = Read,
        ["POST /api/lists/"] = ManageSubscribers,
        ["PATCH /api/lists/{slug}"] = ManageSubscribers,
        ["DELETE /api/lists/{slug}"] = ManageSubscribers,
        ["GET /api/campaigns/"] = Read,
        ["GET /api/campaigns/{id:long}"] = Read,
        ["GET /api/campaigns/{id:long}/report"] = Read,
        ["GET /api/campaigns/{id:long}/activity.csv"] = Export,
        ["POST /api/campaigns/"] = Prepare,
        ["POST /api/campaigns/{id:long}/pause"] = Send,
        ["POST /api/campaigns/{id:long}/resume"] = Send,
        ["POST /api/campaigns/{id:long}/cancel"] = Prepare,
        ["POST /api/campaigns/{id:long}/approve"] = Send,
        ["POST /api/campaigns/{id:long}/return"] = Send,
        ["POST /api/campaigns/{id:long}/submit"] = Prepare,
        ["GET /api/feeds/"] = Read,
        ["GET /api/feeds/{id:long}"] = Read,
        ["POST /api/feeds/"] = Send,
        ["POST /api/feeds/{id:long}/poll"] = Send,
        ["DELETE /api/feeds/{id:long}"] = Send,
        ["GET /api/digests/"] = Read,
        ["GET /api/audit"] = ManageAccounts,
        ["GET /api/users/"] = ManageAccounts,
        ["GET /api/users/{id}"] = ManageAccounts,
        ["POST /api/users/"] = ManageAccounts,
        ["PATCH /api/users/{id}"] = ManageAccounts,
        ["DELETE /api/users/{id}"] = ManageAccounts,
        ["POST /api/users/{id}/invitation"] = ManageAccounts,
        ["POST /api/digests/{cadence}/run"] = Send,

        // The dashboard.
        ["GET /admin"] = Read,
        ["GET /admin/articles"] = Read,
        ["POST /admin/articles?handler=Import"] = Prepare,
        ["GET /admin/articles/edit/{id:long?}"] = Read,
        ["POST /admin/articles/edit/{id:long?}"] = Prepare,
        ["POST /admin/articles/edit/{id:long?}?handler=Publish"] = Prepare,
        ["POST /admin/articles/edit/{id:long?}?handler=Unpublish"] = Prepare,
        ["POST /admin/articles/edit/{id:long?}?handler=Delete"] = Prepare,
        ["GET /admin/articles/preview/{id:long}"] = Read,
        ["POST /admin/articles/preview/{id:long}?handler=Test"] = Prepare,
        ["GET /admin/articles/{id:long}/email"] = Read,
        ["GET /admin/campaigns"] = Read,
        ["GET /admin/campaigns?handler=Audience"] = Read,
        ["POST /admin/campaigns"] = Prepare,
        ["GET /admin/campaigns/details/{id:long}"] = Read,
        ["GET /admin/campaigns/report/{id:long}"] = Read,
        ["POST /admin/campaigns/details/{id:long}?handler=Pause"] = Send,
        ["POST /admin/campaigns/details/{id:long}?handler=Resume"] = Send,
        ["POST /admin/campaigns/details/{id:long}?handler=Cancel"] = Prepare,
        ["POST /admin/campaigns/details/{id:long}?handler=Approve"] = Send,
        ["POST /admin/campaigns/details/{id:long}?handler=Return"] = Send,
        ["POST /admin/campaigns/details/{id:long}?handler=Submit"] = Prepare,
        ["GET /admin/campaigns/{id:long}/progress"] = Read,
        ["GET /admin/campaigns/{id:long}/activity.csv"] = Export,
        ["GET /admin/subscribers"] = Read,
        ["POST /admin/subscribers?handler=Import"] = ManageSubscribers,
        ["POST /admin/subscribers?handler=Unsubscribe"] = ManageSubscribers,
        ["POST /admin/subscribers?handler=Suppress"] = ManageSubscribers,
        ["POST /admin/subscribers?handler=Delete"] = ManageSubscribers,
        ["GET /admin/subscribers/export"] = Export,
        ["GET /admin/bounces"] = Read,
        ["POST /admin/bounces?handler=Check"] = ManageSubscribers,
        ["GET /admin/lists"] = Read,
        ["POST /admin/lists"] = ManageSubscribers,
        ["POST /admin/lists?handler=Rename"] = ManageSubscribers,
        ["POST /admin/lists?handler=Delete"] = ManageSubscribers,
        ["GET /admin/digests"] = Read,
        ["POST /admin/digests?handler=Run"] = Send,
        ["GET /admin/feeds"] = Read,
        ["POST /admin/feeds"] = Send,
        ["POST /admin/feeds?handler=Poll"] = Send,
        ["POST /admin/feeds?handler=Delete"] = Send,
        ["GET /admin/settings"] = Settings,
        ["GET /admin/audit"] = ManageAccounts,
        ["GET /admin/account/keys"] = Read,
        ["POST /admin/account/keys?handler=Create"] = Read,
        ["POST /admin/account/keys?handler=Revoke"] = Read,
        ["GET /admin/users"] = ManageAccounts,
        ["POST /admin/users?handler=Invite"] = ManageAccounts,
        ["POST /admin/users?handler=Role"] = ManageAccounts,
        ["POST /admin/users?handler=Disable"] = ManageAccounts,
        ["POST /admin/users?handler=Enable"] = ManageAccounts,
        ["POST /admin/users?handler=Resend"] = ManageAccounts,
        ["POST /admin/users?handler=Delete"] = ManageAccounts,
        ["POST /admin/settings?handler=Test"] = Settings,
        ["GET /admin/logout"] = Read,
        ["POST /admin/logout"] = Read,
        ["GET /admin/account"] = Read,
        ["POST /admin/account?handler=Password"] = Read,
        ["POST /admin/account?handler=Regenerate"] = Read,
        ["POST /admin/account?handler=Disable"] = Read,
        ["GET /admin/account/two-factor"] = Read,
        ["POST /admin/account/two-factor"] = Read,
        ["POST /admin/settings?handler=TwoFactor"] = ManageAccounts,
        ["GET /hangfire/{**path}"] = Jobs,
    };

    /// <summary>What the running app declares, in the same form as <see cref="Rules"/>: null for public.</summary>
    private static async Task<Dictionary<string, Permission?>> DeclaredAsync(NewsletterApp app)
    {
        var declared = new Dictionary<string, Permission?>();
        var loader = app.Services.GetRequiredService<PageLoader>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var guarded = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == AdminSecurity.Policy)
                && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;
            var page = PermissionAuthorization.Declared(endpoint);
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } descriptor)
            {
                route = route.ToLowerInvariant();
                if (route.EndsWith("/index", StringComparison.Ordinal)) continue; // the same page as its folder's route
                var compiled = await loader.LoadAsync(descriptor, endpoint.Metadata);
                foreach (var handler in compiled.HandlerMethods)
                {
                    var own = handler.MethodInfo.GetCustomAttributes(typeof(RequirePermissionAttribute), false)
                        .Cast<RequirePermissionAttribute>().FirstOrDefault()?.Permission;
                    var method = handler.HttpMethod.ToUpperInvariant();
                    var isGet = method == "GET";
                    var key = $"{method} {route}" + (handler.Name is null ? "" : $"?handler={handler.Name}");
                    // A POST handler without its own permission is for owners only: no rule of the table says that.
                    declared[key] = !guarded ? null : own ?? (isGet ? page : (Permission)(-1));
                }
                continue;
            }
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                declared[$"{method} {route}"] = !guarded ? null : page ?? (Permission)(-1);
        }
        return declared;
    }

    [SkippableFact]
    public async Task EveryEndpointAndPageHandler_HasARule_AndDeclaresIt()
    {
        await using var app = await NewsletterApp.StartAsync(database);

        var declared = await DeclaredAsync(app);

        var missing = declared.Keys.Except(Rules.Keys).Order().ToList();
        Assert.True(missing.Count == 0, "No rule in RoleAccessTests.Rules for: " + string.Join(", ", missing));
        var gone = Rules.Keys.Except(declared.Keys).Order().ToList();
        Assert.True(gone.Count == 0, "Rules for endpoints that no longer exist: " + string.Join(", ", gone));
        var wrong = Rules.Where(r => declared[r.Key] != r.Value)
            .Select(r => $"{r.Key} declares {Show(declared[r.Key])}, the rule says {Show(r.Value)}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private static string Show(Permission? p) => p switch { null => "public", (Permission)(-1) => "nothing (owners only)", _ => p.ToString()! };

    /// <summary>A request for the rule's endpoint; ids that do not exist, so that an allowed request changes nothing.</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient browser, string rule)
    {
        var (method, target) = (rule.Split(' ')[0], rule.Split(' ')[1]);
        var path = target.Replace("{id:long}", "999999").Replace("{id:long?}", "999999").Replace("{**path}", "").Replace("{slug}", "no-such-list").Replace("{cadence}", "weekly");
        if (method == "GET") return await browser.GetAsync(path);
        return await browser.PostFormAsync(path, new Dictionary<string, string>(), formPage: "/admin");
    }

    /// <summary>The dashboard's rules (the API's are checked with per-account keys).</summary>
    public static TheoryData<string> Roles => new(AccountRoles.All);

    [SkippableTheory]
    [MemberData(nameof(Roles))]
    public async Task EachRole_IsLetThroughWhereItHasThePermission_AndGets403Elsewhere(string role)
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var email = role + "@newsroom.test";
        if (role != AccountRoles.Owner) await app.AddAccountAsync(email, role);
        var browser = await app.SignedInAsync(role == AccountRoles.Owner ? NewsletterApp.AdminEmail : email,
            role == AccountRoles.Owner ? NewsletterApp.AdminPassword : TestAccounts.Password);

        var wrong = new List<string>();
        foreach (var (rule, permission) in Rules.Where(r => r.Value is not null && !r.Key.Contains(" /api/") && !r.Key.Contains("logout")))
        {
            var response = await SendAsync(browser, rule);
            var allowed = AccountRoles.Grants(role, permission!.Value);
            var forbidden = response.StatusCode == HttpStatusCode.Forbidden;
            var toLogin = response.Headers.Location?.OriginalString.Contains("/admin/login") == true;
            if (allowed == forbidden || toLogin) wrong.Add($"{rule}: {(int)response.StatusCode} {response.Headers.Location}");
        }

        Assert.True(wrong.Count == 0, $"As {role}:\n" + string.Join("\n", wrong));
    }


    [SkippableFact]
    public async Task Navigation_ShowsAViewer_NeitherSettingsNorJobs_AndAnOwnerBoth()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.AddAccountAsync("viewer@newsroom.test", AccountRoles.Viewer);

        var viewer = await (await app.SignedInAsync("viewer@newsroom.test")).GetStringAsync("/admin");
        var owner = await (await app.SignedInAsync(NewsletterApp.AdminEmail, NewsletterApp.AdminPassword)).GetStringAsync("/admin");

        Assert.DoesNotContain("href=\"/admin/settings\"", viewer);
        Assert.DoesNotContain("href=\"/hangfire\"", viewer);
        Assert.Contains("href=\"/admin/subscribers\"", viewer);
        Assert.Contains("href=\"/admin/settings\"", owner);
        Assert.Contains("href=\"/hangfire\"", owner);
    }
}

public sealed class RoleAccessOnSqlite() : RoleAccessTests(Database.Sqlite);

public sealed class RoleAccessOnPostgres() : RoleAccessTests(Database.Postgres);
