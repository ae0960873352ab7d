using System.Diagnostics;

namespace NewsletterService.Infrastructure;

/// <summary>
/// Errors as a plain page for a browser (a request outside <c>/api</c> that accepts <c>text/html</c>); everything else gets
/// application/problem+json (RFC 9457). Covers status-code pages, unhandled exceptions and problem results alike.
/// A 404 page is always the same, so it never tells what exists.
/// </summary>
public static class ErrorPages
{
    public static WebApplicationBuilder AddErrorPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IProblemDetailsWriter, BrowserPage>(); // asked before ASP.NET Core's JSON writer
        builder.Services.AddProblemDetails();
        return builder;
    }

    private sealed class BrowserPage : IProblemDetailsWriter
    {
        public bool CanWrite(ProblemDetailsContext context) =>
            !context.HttpContext.Request.Path.StartsWithSegments("/api") &&
            context.HttpContext.Request.GetTypedHeaders().Accept
                .Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

        public ValueTask WriteAsync(ProblemDetailsContext context) => new(ShowAsync(
            context.HttpContext, context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode, context.ProblemDetails.Detail));
    }

    /// <summary>Answers with the plain error page for <paramref name="status"/> (a 500 names the trace as its reference).</summary>
    public static Task ShowAsync(HttpContext http, int status, string? detail = null)
    {
        var (title, text) = status switch
        {
            StatusCodes.Status404NotFound => ("Page not found",
                "There is nothing at this address. If you followed a link from an email, check that all of it reached the address bar."),
            StatusCodes.Status403Forbidden => ("Not allowed",
                "Your role does not allow this. Ask an owner of this newsletter if you need it."),
            StatusCodes.Status429TooManyRequests => ("Too many requests",
                "There were too many requests from your address. Please wait a minute and try again."),
            >= 500 => ("Something went wrong",
                "The page could not be shown because of an unexpected error. It has been logged with reference " +
                $"{Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier}."),
            _ => ("This did not work", detail ?? "The request could not be handled."),
        };
        return PublicPage.Show(title, text, status).ExecuteAsync(http);
    }
}
