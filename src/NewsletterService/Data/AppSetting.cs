namespace NewsletterService.Data;

/// <summary>A value the service generates once and every process shares, such as the link-signing key.</summary>
public sealed class AppSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}
