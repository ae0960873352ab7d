namespace NewsletterService.Subscriptions;

/// <summary><c>/api/lists</c>: the topics readers can join and campaigns can target (see <see cref="ListCatalog"/>).</summary>
public static class ListsApi
{
    public static RouteGroupBuilder MapListsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/lists");
        group.MapGet("/", async (ListCatalog lists, CancellationToken ct) => Results.Ok(await lists.AllAsync(ct)));
        group.MapPost("/", (ListCatalog.CreateList? request, ListCatalog lists, CancellationToken ct) => lists.CreateAsync(request, ct));
        group.MapPatch("/{slug}", (string slug, ListCatalog.RenameList? request, ListCatalog lists, CancellationToken ct) => lists.RenameAsync(slug, request, ct));
        group.MapDelete("/{slug}", (string slug, ListCatalog lists, CancellationToken ct) => lists.DeleteAsync(slug, ct));
        return api;
    }
}
