using NewsletterService.Infrastructure;

namespace NewsletterService.Rendering;

/// <summary>What the layout needs from every email.</summary>
public abstract class EmailModel
{
    public required string NewsletterName { get; init; }
    public required string BaseUrl { get; init; }

    /// <summary>Hidden preview line that mail clients show beside the subject.</summary>
    public string? Preheader { get; init; }

    /// <summary>The recipient's name, when known.</summary>
    public string? RecipientName { get; init; }

    /// <summary>Per-recipient links; absent in mails that are not part of a subscription (e.g. confirmations).</summary>
    public string? UnsubscribeUrl { get; init; }
    public string? PreferencesUrl { get; init; }

    /// <summary>The newsletter's logo and accent colour, set by the <see cref="EmailComposer"/> from section <c>Branding</c>.</summary>
    public BrandingOptions Brand { get; internal set; } = new();

    /// <summary>
    /// Set when the email is shown as a web page (an article's web version): no greeting, Open Graph tags, subscribe link.
    /// </summary>
    public WebPage? Web { get; init; }
}

/// <summary>What a web page made from an email adds: its address and description (Open Graph) and where to subscribe.</summary>
public sealed record WebPage(string Title, string Description, string Url, string SubscribeUrl);

public sealed class ArticleEmail : EmailModel
{
    public required string Title { get; init; }
    public string? Byline { get; init; }
    public string? ImageCredit { get; init; }
    public DateTime PublishedAt { get; init; }

    /// <summary>Sanitised HTML from the article's Markdown (raw HTML disabled).</summary>
    public required string StandfirstHtml { get; init; }
    public required string BodyHtml { get; init; }
}

public sealed class ConfirmationEmail : EmailModel
{
    public required string ConfirmUrl { get; init; }
    public required TimeSpan ValidFor { get; init; }
}

public sealed class DigestEmail : EmailModel
{
    public required string Heading { get; init; }
    public required IReadOnlyList<DigestItem> Items { get; init; }
}

public sealed record DigestItem(string Title, string? Byline, string Standfirst, string Url, DateTime PublishedAt);

/// <summary>A mail to a dashboard account: paragraphs, an optional quoted comment, one button and a closing line.</summary>
public sealed class AccountEmail : EmailModel
{
    public required string Subject { get; init; }
    public required IReadOnlyList<string> Paragraphs { get; init; }
    public string? Quote { get; init; }
    public MailAction? Action { get; init; }
    public string? Closing { get; init; }
}

/// <summary>The button of an <see cref="AccountEmail"/>.</summary>
public sealed record MailAction(string Text, string Url);
