using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Rendering;

namespace NewsletterService.Delivery;

/// <summary>A campaign's subject and its email, rendered once and personalised per recipient.</summary>
public sealed record CampaignContent(string Subject, PersonalisedEmail Email);

/// <summary>
/// One claimed ledger row of a batch, with what the batch needs of its subscriber (none when they were deleted);
/// <paramref name="TrackingOff"/>: the reader turned tracking off.
/// </summary>
public sealed record Recipient(long DeliveryId, long SubscriberId, string? Email, string? Name, Subscriptions.SubscriberStatus? Status,
    int Attempts, DateTime? DigestFrom, bool TrackingOff = false);

/// <summary>
/// What makes one kind of campaign (an article, a digest) different: who gets it and what each of them gets. The
/// pipeline (<see cref="CampaignStarter"/> → <see cref="CampaignBatchJob"/>) is the same for every kind.
/// </summary>
public interface ICampaignKind
{
    CampaignKind Kind { get; }

    /// <summary>Writes one pending delivery per recipient, in one set-based statement; writing it again adds nobody twice.</summary>
    Task WriteLedgerAsync(NewsletterDb db, Campaign campaign, CancellationToken ct);

    /// <summary>Each recipient's email for one batch, or none for a recipient with nothing to get (their delivery is skipped).</summary>
    Task<Func<Recipient, CampaignContent?>> ContentForAsync(NewsletterDb db, Campaign campaign, IReadOnlyList<Recipient> recipients,
        CancellationToken ct);
}
