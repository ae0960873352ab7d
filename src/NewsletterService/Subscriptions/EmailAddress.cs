using System.Globalization;
using System.Text.RegularExpressions;

namespace NewsletterService.Subscriptions;

/// <summary>
/// A validated address: <see cref="Display"/> to send to (domain lower-cased), <see cref="Key"/> to compare (all lower case,
/// ASCII domain).
/// </summary>
public sealed partial record EmailAddress(string Display, string Key)
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    public static bool TryParse(string? input, out EmailAddress address, out string error)
    {
        address = null!;
        error = "";
        var value = input?.Trim() ?? "";
        if (value.Length == 0) { error = "An email address is required."; return false; }
        var at = value.LastIndexOf('@');
        if (value.Length > 254 || at <= 0 || at == value.Length - 1)
        {
            error = $"'{Shorten(value)}' is not a valid email address.";
            return false;
        }
        var local = value[..at];
        var domain = value[(at + 1)..].TrimEnd('.').ToLowerInvariant();
        string asciiDomain;
        try { asciiDomain = Idn.GetAscii(domain); }
        catch (ArgumentException) { asciiDomain = ""; }

        if (local.Length > 64 || !LocalPart().IsMatch(local) || local.StartsWith('.') || local.EndsWith('.') || local.Contains("..") ||
            !AsciiDomain().IsMatch(asciiDomain))
        {
            error = $"'{Shorten(value)}' is not a valid email address.";
            return false;
        }
        address = new EmailAddress($"{local}@{domain}", $"{local.ToLowerInvariant()}@{asciiDomain}");
        return true;
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "…";

    // RFC 5322 dot-atom (plus UTF-8 letters, RFC 6531): no spaces, quotes, brackets or control characters.
    [GeneratedRegex(@"^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+$")]
    private static partial Regex LocalPart();

    // At least two labels of letters, digits and inner hyphens; the last is not all digits.
    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$")]
    private static partial Regex AsciiDomain();
}
