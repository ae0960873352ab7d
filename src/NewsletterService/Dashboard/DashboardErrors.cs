using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Diagnostics;

namespace NewsletterService.Dashboard;

/// <summary>An unexpected failure on a dashboard page shows a plain page with a reference, never a stack trace.</summary>
public sealed class DashboardErrors : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (!http.Request.Path.StartsWithSegments("/admin")) return false; // the API answers problem+json
        var reference = WebUtility.HtmlEncode(Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier);
        http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync($"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong · Newsletter</title>
            <link rel="stylesheet" href="{DashboardAssets.Url("dashboard.css")}"></head>
            <body><main id="main" class="narrow"><h1>Something went wrong</h1>
            <div class="alert error" role="alert">The page could not be shown because of an unexpected error. It has been logged with reference <code>{reference}</code>.</div>
            <p><a href="/admin">Back to the overview</a></p></main></body></html>
            """, ct);
        return true;
    }
}
