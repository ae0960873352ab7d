namespace NewsletterService.Rendering;

/// <summary>
/// Which stored or user-supplied URLs may become a link or an image: absolute <c>http</c>, <c>https</c> and
/// <c>mailto</c> links, absolute <c>http</c> and <c>https</c> images. Everything else (<c>javascript:</c>,
/// <c>data:</c>, <c>vbscript:</c>, <c>ftp:</c>, relative or scheme-less addresses) is shown as text, never linked.
/// </summary>
public static class SafeUrl
{
    public static bool IsSafeLink(string? url) => Scheme(url) is "http" or "https" or "mailto";

    public static bool IsSafeImage(string? url) => Scheme(url) is "http" or "https";

    /// <summary>An absolute http(s) URL in its escaped form (no space, quote, angle bracket or line break left), else null.</summary>
    public static string? WebAddress(string? url) =>
        Scheme(url) is "http" or "https" ? new Uri(Normalise(url!), UriKind.Absolute).AbsoluteUri : null;

    /// <summary>
    /// The URL as a browser reads it: tabs and line breaks removed wherever they are, C0 control characters and spaces
    /// trimmed from both ends (the URL standard's rules). Write this form, not the original, where the URL is checked.
    /// </summary>
    public static string Normalise(string url) =>
        url.Replace("\t", "").Replace("\n", "").Replace("\r", "").Trim(Controls);

    /// <summary>The lower-case scheme of an absolute URL, or null. The text itself must start with it, as a browser sees it.</summary>
    private static string? Scheme(string? url)
    {
        if (string.IsNullOrEmpty(url)) return null;
        var normalised = Normalise(url);
        return Uri.TryCreate(normalised, UriKind.Absolute, out var uri) &&
            normalised.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase)
            ? uri.Scheme
            : null;
    }

    /// <summary>C0 control characters and space, which the URL standard trims from both ends.</summary>
    private static readonly char[] Controls = Enumerable.Range(0, 0x21).Select(c => (char)c).ToArray();
}
