namespace NewsletterService.Rendering;

/// <summary>Placeholders that stand in for per-recipient values while a campaign's email is rendered once.</summary>
public sealed class EmailSlots
{
    public const string Name = "nlslotname9f3c";
    public const string UnsubscribeUrl = "https://nlslot.invalid/unsubscribe9f3c";
    public const string PreferencesUrl = "https://nlslot.invalid/preferences9f3c";
    public static readonly EmailSlots Named = new(Name);
    public static readonly EmailSlots Anonymous = new(null);

    private EmailSlots(string? name) => RecipientName = name;
    public string? RecipientName { get; }
}
