namespace NewsletterService.Dashboard;

/// <summary>A list of campaigns on a page, and what it says when there is none.</summary>
public sealed record CampaignTable(IReadOnlyList<CampaignRow> Rows, EditorTime Time, string Empty);
