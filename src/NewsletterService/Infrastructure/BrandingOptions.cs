using System.ComponentModel.DataAnnotations;

namespace NewsletterService.Infrastructure;

/// <summary>
/// Section <c>Branding</c>: the newsletter's face on the email layout and every reader page (its name is
/// <c>Newsletter:FromName</c>). Both values are checked at start-up: the colour is written into CSS, the logo into an
/// <c>img</c> element, so nothing but a hex colour and an absolute https address gets that far.
/// </summary>
public sealed class BrandingOptions : IValidatableObject
{
    public const string Section = "Branding";

    /// <summary>An absolute https URL of the logo image; empty: the newsletter's name is shown as text.</summary>
    public string LogoUrl { get; set; } = "";

    /// <summary>A CSS hex colour, <c>#rgb</c> or <c>#rrggbb</c>: the masthead rule, buttons and links.</summary>
    [Required, RegularExpression("^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$",
        ErrorMessage = "Branding:AccentColor must be a CSS hex colour such as #1a1a1a or #15b, nothing else.")]
    public string AccentColor { get; set; } = "#1a1a1a";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LogoUrl.Length > 0 && !IsHttpsAddress(LogoUrl))
            yield return new ValidationResult(
                "Branding:LogoUrl must be empty or an absolute https:// address of an image.", [nameof(LogoUrl)]);
    }

    /// <summary>
    /// Absolute https with a host, and no character (space, quote, angle bracket, control) a browser would read differently.
    /// </summary>
    private static bool IsHttpsAddress(string url) =>
        url.Length <= 2000 && !url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or '<' or '>' or '\\' or '`') &&
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Host.Length > 0 &&
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
