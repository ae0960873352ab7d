using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using NewsletterService.Security;

namespace NewsletterService.Accounts;

/// <summary><c>/api/users</c>: the dashboard accounts, for owners (the configured API key is an owner key).</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").RequirePermission(Permission.ManageAccounts);
        group.MapGet("/", async (AccountDirectory directory, CancellationToken ct) => Results.Ok(await directory.AllAsync(ct)));
        group.MapGet("/{id}", async (string id, AccountDirectory directory, CancellationToken ct) =>
            await directory.FindAsync(id, ct) is { } account ? Results.Ok(account) : Results.Problem(statusCode: 404, detail: $"There is no account {id}."));
        group.MapPost("/", async (AccountDirectory.Invite? invite, AccountDirectory directory, CancellationToken ct) =>
            (await directory.InviteAsync(invite, ct)).Answer(a => Results.Created($"/api/users/{a.Id}", a)));
        group.MapPatch("/{id}", async (string id, AccountDirectory.Change? change, ClaimsPrincipal user, AccountDirectory directory,
            UserManager<Account> users, CancellationToken ct) =>
            (await directory.ChangeAsync(id, change, users.GetUserId(user), ct)).Answer(Results.Ok));
        group.MapDelete("/{id}", async (string id, ClaimsPrincipal user, AccountDirectory directory, UserManager<Account> users,
            CancellationToken ct) =>
            await directory.DeleteAsync(id, users.GetUserId(user), ct) is { } refusal ? refusal.Problem() : Results.NoContent());
        group.MapPost("/{id}/invitation", async (string id, AccountDirectory directory, CancellationToken ct) =>
            (await directory.ResendInvitationAsync(id, ct)).Answer(Results.Ok));
        return api;
    }
}
