namespace NewsletterService.Subscriptions;

public static class SubscriberName
{
    public const int MaxLength = 100;

    /// <summary>Trims a name; rejects one with line breaks or control characters (header injection) or over 100 characters.</summary>
    public static bool TryNormalise(string? input, out string? name, out string error)
    {
        name = string.IsNullOrWhiteSpace(input) ? null : input.Trim();
        error = "";
        if (name is null) return true;
        if (name.Any(char.IsControl)) error = "The name must be one line without control characters.";
        else if (name.Length > MaxLength) error = $"The name is longer than {MaxLength} characters.";
        return error.Length == 0;
    }
}
