using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace NewsletterService.Security;

/// <summary>
/// The permission an endpoint, a Razor page (on its model class: every GET handler of the page) or a page's POST
/// handler (on the method) needs. An endpoint or handler behind the dashboard policy that names none is for owners only,
/// and the access test fails until it names one.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequirePermissionAttribute(Permission permission) : Attribute
{
    public Permission Permission { get; } = permission;
}

public static class PermissionAuthorization
{
    /// <summary>Marks a minimal API endpoint (or group) as needing <paramref name="permission"/>.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, Permission permission)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new RequirePermissionAttribute(permission));

    /// <summary>The permission the endpoint declares; null when it declares none.</summary>
    public static Permission? Declared(Endpoint? endpoint) => endpoint?.Metadata.GetMetadata<RequirePermissionAttribute>()?.Permission;

    /// <summary>What <see cref="AdminSecurity.Policy"/> asks: the permission the endpoint declares (owners only without one).</summary>
    public sealed class DeclaredPermission : IAuthorizationRequirement;

    public sealed class Handler : AuthorizationHandler<DeclaredPermission>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, DeclaredPermission requirement)
        {
            var endpoint = context.Resource switch
            {
                HttpContext http => http.GetEndpoint(),
                Endpoint e => e,
                _ => null,
            };
            if (Allows(context.User, Declared(endpoint))) context.Succeed(requirement);
            return Task.CompletedTask;
        }
    }

    public static bool Allows(System.Security.Claims.ClaimsPrincipal user, Permission? needed) =>
        needed is { } p ? user.Can(p) : user.IsInRole(AccountRoles.Owner);

    /// <summary>
    /// A page's POST handlers (and any handler carrying its own attribute) are checked here, before model-bound work and
    /// before <see cref="Dashboard.FormSubmissions"/>: the page's own permission covers its GET handlers only.
    /// </summary>
    public sealed class HandlerFilter : IAsyncPageFilter, IOrderedFilter
    {
        public int Order => int.MinValue;

        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            var handler = context.HandlerMethod;
            var own = handler?.MethodInfo.GetCustomAttributes(typeof(RequirePermissionAttribute), false)
                .Cast<RequirePermissionAttribute>().FirstOrDefault()?.Permission;
            var isGet = handler is null || string.Equals(handler.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase);
            var user = context.HttpContext.User;
            var open = context.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any(); // the login pages
            if (!open && user.Identity?.IsAuthenticated == true && (own is not null || !isGet) && !Allows(user, own))
            {
                context.Result = new ForbidResult();
                return;
            }
            await next();
        }
    }
}
