using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Antiforgery;
using NewsletterService.Dashboard;

namespace NewsletterService.Infrastructure;

/// <summary>
/// Markup that is safe to write as it is. Build it with <see cref="Of"/>: every value interpolated into the string is
/// HTML-encoded unless it is itself <see cref="Html"/>, so user text can never reach a page unencoded.
/// </summary>
public readonly record struct Html(string Value)
{
    public static readonly Html Empty = new("");

    public static Html Of([InterpolatedStringHandlerArgument] ref HtmlBuilder builder) => builder.Build();

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public override string ToString() => Value;
}

[InterpolatedStringHandler]
public ref struct HtmlBuilder(int literalLength, int formattedCount)
{
    private DefaultInterpolatedStringHandler _inner = new(literalLength, formattedCount, CultureInfo.InvariantCulture);

    public void AppendLiteral(string value) => _inner.AppendLiteral(value);

    public void AppendFormatted(Html value) => _inner.AppendLiteral(value.Value);

    public void AppendFormatted<T>(T value) =>
        _inner.AppendLiteral(WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));

    public Html Build() => new(_inner.ToStringAndClear());
}

/// <summary>The small server-rendered pages readers see (subscribe, confirm, unsubscribe, preferences, errors); their headers: <see cref="SecurityHeaders"/>.</summary>
public static class PublicPages
{
    public static IResult Page(string title, Html body, int status = StatusCodes.Status200OK) => Results.Content(Html.Of($$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <link rel="stylesheet" href="{{DashboardAssets.Url("public.css")}}">
        </head><body><main><h1>{{title}}</h1>
        {{body}}
        </main></body></html>
        """).Value, "text/html; charset=utf-8", statusCode: status);

    /// <summary>The hidden antiforgery field every form posted by a browser carries.</summary>
    public static Html AntiforgeryField(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return Html.Of($"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">");
    }
}
