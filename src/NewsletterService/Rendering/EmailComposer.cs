using Microsoft.Extensions.Options;
using NewsletterService.Infrastructure;
using NUglify;
using NUglify.Html;

namespace NewsletterService.Rendering;

/// <summary>A finished email body: CSS inlined into the HTML, and a plain-text alternative from the same content.</summary>
public sealed record EmailBody(string Html, string Text);

/// <summary>Renders templates into mail-ready bodies: Razor, then CSS inlining (PreMailer.Net), then a text part (NUglify).</summary>
public sealed class EmailComposer(IEmailRenderer renderer, IOptions<BrandingOptions> branding)
{
    private static readonly AngleSharp.Html.Parser.HtmlParser Parser = new();

    public async Task<EmailBody> ComposeAsync<TModel>(string template, TModel model, CancellationToken ct = default)
    {
        if (model is EmailModel email) email.Brand = branding.Value;
        var html = await renderer.RenderAsync(template, model, ct);
        var inlined = PreMailer.Net.PreMailer.MoveCssInline(
            html, removeStyleElements: false, removeComments: true, preserveMediaQueries: true).Html;
        return new EmailBody(inlined, ToText(inlined));
    }

    /// <summary>
    /// Renders once per shape of recipient (with and without a name) around placeholders, so that a campaign to any
    /// number of readers costs two renders; <see cref="EmailSkeleton.Fill"/> then personalises in microseconds.
    /// </summary>
    public async Task<PersonalisedEmail> PrepareAsync<TModel>(
        string template, Func<EmailSlots?, TModel> model, CancellationToken ct = default)
    {
        var named = await ComposeAsync(template, model(EmailSlots.Named), ct);
        var anonymous = await ComposeAsync(template, model(EmailSlots.Anonymous), ct);
        return new PersonalisedEmail(EmailSkeleton.Parse(named), EmailSkeleton.Parse(anonymous));
    }

    private static string ToText(string html)
    {
        // NUglify drops link targets: write every link as "text (url)" first, and leave out what only HTML readers see.
        var document = Parser.ParseDocument(html);
        foreach (var hidden in document.QuerySelectorAll("[data-text-skip]").ToList()) hidden.Remove();
        foreach (var image in document.QuerySelectorAll("img[data-text-alt]").ToList()) // the logo: the name it shows
            image.Replace(document.CreateTextNode(image.GetAttribute("alt") ?? ""));
        foreach (var link in document.QuerySelectorAll("a[href]"))
        {
            var href = link.GetAttribute("href")!;
            if (!SafeUrl.IsSafeLink(href)) continue; // the text part carries only URLs the HTML part may link
            var text = link.TextContent.Trim();
            link.TextContent = text.Length == 0 || text == href ? href : $"{text} ({href})";
        }
        MarkListItems(document);
        foreach (var block in document.QuerySelectorAll("p,h1,h2,h3,h4,h5,h6,ul,ol,blockquote").ToList())
            block.After(document.CreateElement("br")); // a blank line between paragraphs, as in the HTML
        var result = Uglify.HtmlToText(document.DocumentElement.OuterHtml, HtmlToTextOptions.KeepStructure);
        var text2 = result.HasErrors ? document.Body?.TextContent ?? "" : result.Code;
        return CollapseBlankLines(text2);
    }

    /// <summary>
    /// Writes each list item's marker into its text as the HTML shows it: "• " in a bulleted list, "3. " in a numbered one.
    /// </summary>
    private static void MarkListItems(AngleSharp.Dom.IDocument document)
    {
        foreach (var list in document.QuerySelectorAll("ul,ol"))
        {
            var number = list.LocalName == "ol" && int.TryParse(list.GetAttribute("start"), out var start) ? start : 1;
            foreach (var item in list.Children.Where(c => c.LocalName == "li"))
                item.Prepend(document.CreateTextNode(list.LocalName == "ol" ? $"{number++}. " : "• "));
        }
    }

    private static string CollapseBlankLines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd());
        var output = new List<string>();
        foreach (var line in lines)
        {
            if (line.Length == 0 && (output.Count == 0 || output[^1].Length == 0)) continue;
            output.Add(line.TrimStart());
        }
        return string.Join("\n", output).Trim() + "\n";
    }
}
