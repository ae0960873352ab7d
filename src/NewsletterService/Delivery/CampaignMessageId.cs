using System.Globalization;
using System.Text.RegularExpressions;
using MimeKit.Utils;

namespace NewsletterService.Delivery;

/// <summary>
/// The Message-ID of a campaign mail names its campaign and delivery (<c>c&lt;campaign&gt;-d&lt;delivery&gt;.&lt;random&gt;@domain</c>),
/// so that a bounce that lost the VERP address but quotes the original's headers still names the mail it is about.
/// </summary>
public static partial class CampaignMessageId
{
    public static string Create(long campaignId, long deliveryId, string domain) =>
        string.Create(CultureInfo.InvariantCulture, $"c{campaignId}-d{deliveryId}.{MimeUtils.GenerateMessageId(domain)}");

    /// <summary>The campaign and delivery a Message-ID (with or without its angle brackets) names, if it is one of ours.</summary>
    public static bool TryRead(string? messageId, out long campaignId, out long deliveryId)
    {
        (campaignId, deliveryId) = (0, 0);
        if (messageId is null || Shape().Match(messageId) is not { Success: true } match) return false;
        return long.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out campaignId)
            && long.TryParse(match.Groups[2].Value, CultureInfo.InvariantCulture, out deliveryId);
    }

    [GeneratedRegex(@"^<?c(\d{1,18})-d(\d{1,18})\.[^@\s]+@[^@\s>]+>?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
