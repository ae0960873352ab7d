using System.Text;
using QRCoder;

namespace NewsletterService.Accounts;

/// <summary>
/// How an authenticator key is shown: as an <c>otpauth://</c> URI (Key URI Format, the one every authenticator app
/// reads), as a QR code of that URI (SVG, drawn with presentation attributes only, so the dashboard's CSP lets it
/// show inline) and typed by hand in groups of four.
/// </summary>
public static class TwoFactorKeys
{
    /// <summary>A typed authenticator code without the spaces and hyphens people add.</summary>
    public static string Clean(string? code) => (code ?? "").Replace(" ", "").Replace("-", "").Trim();

    /// <summary>A typed recovery code as Identity made it (<c>XXXXX-XXXXX</c>), whatever the case and the hyphen.</summary>
    public static string CleanRecoveryCode(string? code)
    {
        var typed = Clean(code).ToUpperInvariant();
        return typed.Length == 10 ? typed[..5] + "-" + typed[5..] : typed;
    }

    /// <summary>The base32 key in groups of four, lower case: <c>abcd efgh ijkl ...</c>.</summary>
    public static string Grouped(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0) text.Append(' ');
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }
        return text.ToString().ToLowerInvariant();
    }

    /// <summary><c>otpauth://totp/Issuer:email?secret=KEY&amp;issuer=Issuer&amp;digits=6</c>, each part percent-encoded.</summary>
    public static string Uri(string issuer, string email, string key)
    {
        var name = System.Uri.EscapeDataString(issuer);
        return $"otpauth://totp/{name}:{System.Uri.EscapeDataString(email)}" +
            $"?secret={System.Uri.EscapeDataString(key)}&issuer={name}&digits=6";
    }

    /// <summary>The QR code of <paramref name="uri"/> as an SVG element that scales to its box.</summary>
    public static string QrSvg(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
