using System.Text.RegularExpressions;

namespace NewsletterService.Articles;

/// <summary>
/// A byline is stored as the name(s) alone: "By Aino Berg", "by: Aino Berg" and "Aino Berg" are all "Aino Berg", and the
/// templates add "By" once.
/// </summary>
public static partial class ArticleByline
{
    public static string? Normalise(string? byline)
    {
        if (string.IsNullOrWhiteSpace(byline)) return null;
        var single = string.Join(' ', byline.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var name = LeadingBy().Replace(single, "").Trim();
        return name.Length > 0 ? name : null;
    }

    [GeneratedRegex(@"^by\b\s*:?\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingBy();
}
