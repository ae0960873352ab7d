using Microsoft.AspNetCore.Diagnostics;
using NewsletterService.Infrastructure;

namespace NewsletterService.Dashboard;

/// <summary>An unexpected failure on a dashboard page shows the plain error page with a reference, never a stack trace.</summary>
public sealed class DashboardErrors : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (!http.Request.Path.StartsWithSegments("/admin")) return false; // the API answers problem+json
        await ErrorPages.ShowAsync(http, StatusCodes.Status500InternalServerError);
        return true;
    }
}
