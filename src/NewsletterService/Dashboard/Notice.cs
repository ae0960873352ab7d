namespace NewsletterService.Dashboard;

/// <summary>The outcome of an action, shown at the top of the page that did it.</summary>
public sealed record Notice(bool Ok, string Message);
