using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;
using NewsletterService.Security;

namespace NewsletterService.Tracking;

/// <summary>Whether a campaign's mails carry an open pixel and tracked links.</summary>
public sealed record CampaignTracking(long CampaignId, bool Opens, bool Clicks)
{
    public bool Any => Opens || Clicks;
}

/// <summary>
/// Makes a reader's mail of a campaign tracked: the email with the pixel and link slots, and the reader's signed
/// <c>/o/</c> and <c>/r/</c> addresses for them. A reader who turned tracking off gets the email as it is.
/// </summary>
public sealed class MailTracking(LinkRegistry registry, LinkTokens tokens, IOptions<NewsletterOptions> newsletter)
{
    /// <summary>Each tracked email's link ids, kept while the email is.</summary>
    private readonly ConditionalWeakTable<PersonalisedEmail, Task<long[]>> _ids = new();

    public async Task<(PersonalisedEmail Email, RecipientValues Values)> ApplyAsync(
        CampaignTracking campaign, long subscriberId, bool readerOptedOut, PersonalisedEmail email, RecipientValues values,
        CancellationToken ct)
    {
        if (!campaign.Any || readerOptedOut) return (email, values);
        var tracked = email.Tracked(campaign.Opens, campaign.Clicks);
        var made = _ids.GetValue(tracked, e => registry.IdsAsync(campaign.CampaignId, e.Links, CancellationToken.None));
        if (made.IsFaulted) _ids.Remove(tracked); // the next reader tries again
        var ids = await made.WaitAsync(ct);
        var open = newsletter.Value.PublicUrl("/o/" + tokens.CreateForCampaign(TokenPurpose.Open, subscriberId, campaign.CampaignId));
        var links = ids.Select(id =>
            newsletter.Value.PublicUrl("/r/" + tokens.CreateForCampaign(TokenPurpose.Click, subscriberId, campaign.CampaignId, id)))
            .ToArray();
        return (tracked, values with { Tracking = new TrackingValues(open, links) });
    }
}
