using System.Text.RegularExpressions;
using NewsletterService.Rendering;

namespace NewsletterService.Articles;

public sealed record ParsedArticle(string Title, string? ImageCredit, string Body);

/// <summary>
/// Reads the plain-text format editors paste from news pages: an optional image credit line (often followed by the
/// page's leftover "show image" button text), a blank line, the headline, then blank-line separated paragraphs of
/// which the first is the standfirst. Copes with CRLF, a byte-order mark and runs of blank lines.
/// </summary>
public static partial class PlainTextArticle
{
    public static bool TryParse(string text, out ParsedArticle article, out Dictionary<string, string[]> errors)
    {
        article = null!;
        errors = [];
        var blocks = Blocks(text);

        // "show image" is a caption button's text, never content; where it stands, the lines before it are the credit.
        string? credit = null;
        if (blocks.Count > 0 && blocks[0].Any(IsShowImage))
        {
            var rest = blocks[0].Where(l => !IsShowImage(l)).ToList();
            credit = rest.Count > 0 ? string.Join(" ", rest) : null;
            blocks.RemoveAt(0);
        }
        else if (blocks.Count >= 3 && LooksLikeCredit(blocks[0]) && LooksLikeHeadline(blocks[1]))
        {
            credit = blocks[0][0];
            blocks.RemoveAt(0);
        }
        blocks = blocks.Select(b => b.Where(l => !IsShowImage(l)).ToList()).Where(b => b.Count > 0).ToList();

        if (blocks.Count == 0)
        {
            errors["title"] = ["The text has no headline: expected a headline line followed by paragraphs separated by blank lines."];
            return false;
        }
        var title = blocks[0][0];
        var paragraphs = new List<string>();
        if (blocks[0].Count > 1) paragraphs.Add(string.Join(" ", blocks[0].Skip(1))); // no blank line after the headline
        paragraphs.AddRange(blocks.Skip(1).Select(b => string.Join(" ", b)));

        if (title.Length > 300) errors["title"] = ["The headline is longer than 300 characters: is the blank line after it missing?"];
        if (paragraphs.Count == 0) errors["body"] = ["The text has a headline but no body: add paragraphs after a blank line."];
        if (errors.Count > 0) return false;

        article = new ParsedArticle(title, credit, string.Join("\n\n", paragraphs.Select(ArticleMarkdown.Literal)));
        return true;
    }

    private static List<List<string>> Blocks(string text)
    {
        var blocks = new List<List<string>>();
        var current = new List<string>();
        foreach (var raw in text.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n'))
        {
            var line = Whitespace().Replace(raw, " ").Trim();
            if (line.Length > 0) { current.Add(line); continue; }
            if (current.Count > 0) { blocks.Add(current); current = []; }
        }
        if (current.Count > 0) blocks.Add(current);
        return blocks;
    }

    private static bool IsShowImage(string line) => line.Equals("show image", StringComparison.OrdinalIgnoreCase);

    // "Marta Lind/Harbour Photo Agency", "Photo: Jan Ek", "© Reuters": one short line that is not a sentence.
    private static bool LooksLikeCredit(List<string> block) =>
        block.Count == 1 && block[0].Length <= 120 && !EndsSentence(block[0]) &&
        (block[0].Contains('/') || block[0].Contains('©') || CreditPrefix().IsMatch(block[0]));

    private static bool LooksLikeHeadline(List<string> block) => block.Count == 1 && block[0].Length <= 300 && !block[0].EndsWith('.');

    private static bool EndsSentence(string line) =>
        line.EndsWith('.') || line.EndsWith('!') || line.EndsWith('?') || line.EndsWith('”') || line.EndsWith('"');

    [GeneratedRegex(@"[\t\u00A0 ]+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^(photo|photograph|image|illustration|picture|credit)s?\b", RegexOptions.IgnoreCase)]
    private static partial Regex CreditPrefix();


}
