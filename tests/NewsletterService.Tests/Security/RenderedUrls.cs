using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace NewsletterService.Tests.Security;

/// <summary>
/// Reads rendered HTML as a browser would and checks what it links to. Independent of the service's own rule:
/// the scheme is read the way the URL standard reads it (tabs and line breaks dropped, C0 controls and spaces trimmed).
/// </summary>
public static partial class RenderedUrls
{
    private static readonly HtmlParser Parser = new();
    private static readonly string[] UrlAttributes = ["href", "src", "srcset", "action", "formaction", "poster", "background",
        "xlink:href"];

    public static IDocument Parse(string html) => Parser.ParseDocument(html);

    /// <summary>
    /// Every URL-carrying attribute anywhere in the page uses an allowed
    /// scheme (or is relative, as the dashboard's own links are).
    /// </summary>
    public static void AssertNoUnsafeUrl(string html, string where)
    {
        foreach (var element in Parse(html).All)
            foreach (var attribute in element.Attributes.Where(a => UrlAttributes.Contains(a.Name, StringComparer.OrdinalIgnoreCase)))
            {
                var scheme = SchemeOf(attribute.Value);
                var fetched = attribute.Name is "src" or "srcset" or "poster" or "background"; // loaded, not followed
                string?[] allowed = fetched ? [null, "http", "https"] : [null, "http", "https", "mailto"];
                Assert.True(allowed.Contains(scheme),
                    $"{where}: <{element.LocalName} {attribute.Name}=\"{attribute.Value}\"> uses the scheme '{scheme}'.");
            }
    }

    /// <summary>The scheme a browser sees in <paramref name="url"/>, lower case; null for a relative URL.</summary>
    public static string? SchemeOf(string url)
    {
        var normalised = url.Replace("\t", "").Replace("\n", "").Replace("\r", "")
            .Trim(Enumerable.Range(0, 0x21).Select(c => (char)c).ToArray());
        return Scheme().Match(normalised) is { Success: true } m ? m.Groups[1].Value.ToLowerInvariant() : null;
    }

    /// <summary>The targets of the links (a[href]) and images (img[src]) inside <paramref name="scope"/>.</summary>
    public static (List<string> Links, List<string> Images) Targets(IElement scope) =>
        (scope.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).ToList(),
         scope.QuerySelectorAll("img[src]").Select(i => i.GetAttribute("src")!).ToList());

    /// <summary>Runs of whitespace as one space, for comparing text across line wrapping.</summary>
    public static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+\-.]*):")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
