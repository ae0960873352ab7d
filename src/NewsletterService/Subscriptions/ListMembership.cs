namespace NewsletterService.Subscriptions;

/// <summary>A subscriber's membership of a list.</summary>
public sealed class ListMembership
{
    public long SubscriberId { get; set; }
    public long ListId { get; set; }
    public MailingList? List { get; set; }
}
