using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Subscriptions;

/// <summary><c>/api/lists</c>: the topics readers can join and campaigns can target (see <see cref="ListCatalog"/>).</summary>
public static class ListsApi
{
    public static RouteGroupBuilder MapListsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/lists");
        group.MapGet("/", async (ListCatalog lists, CancellationToken ct) => Results.Ok(await lists.AllAsync(ct)))
            .RequirePermission(Permission.Read);
        group.MapPost("/", async (ListCatalog.CreateList? request, ListCatalog lists, CancellationToken ct) =>
            (await lists.CreateAsync(request, ct)).Answer(l => Results.Created($"/api/lists/{l.Slug}", l)))
            .RequirePermission(Permission.ManageSubscribers);
        group.MapPatch("/{slug}", async (string slug, ListCatalog.RenameList? request, ListCatalog lists, CancellationToken ct) =>
            (await lists.RenameAsync(slug, request, ct)).Answer(Results.Ok)).RequirePermission(Permission.ManageSubscribers);
        group.MapDelete("/{slug}", async (string slug, ListCatalog lists, CancellationToken ct) =>
            (await lists.DeleteAsync(slug, ct))?.Problem() ?? Results.NoContent()).RequirePermission(Permission.ManageSubscribers);
        return api;
    }
}
