namespace NewsletterService.Articles;

/// <summary>
/// Checks an article's fields. Each error is keyed by the JSON field name (as the API's problem+json names it) and its
/// message uses the label the editor's form shows ("Headline is required."), so the dashboard can show it as it is.
/// </summary>
public static class ArticleValidation
{
    public const int MaxTitle = 300, MaxByline = 200, MaxImageCredit = 200, MaxBody = 200_000, MaxSubject = 150, MaxPreheader = 200;

    /// <summary>The form's label of each field.</summary>
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["title"] = "Headline", ["byline"] = "Byline", ["imageCredit"] = "Image credit", ["body"] = "Text",
        ["subject"] = "Subject line", ["preheader"] = "Preheader", ["publishedAt"] = "Publish date", ["lists"] = "Lists",
    };

    public static bool TryValidate(ArticleStore.Input? input, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (input is null)
        {
            errors["body"] = ["Send the article as JSON: { \"title\", \"body\", \"byline\", \"imageCredit\", \"subject\", \"preheader\", "
                + "\"publishedAt\", \"lists\" }."];
            return false;
        }
        Check(errors, "title", input.Title, required: true, MaxTitle, singleLine: true);
        Check(errors, "byline", input.Byline, required: false, MaxByline, singleLine: true);
        Check(errors, "imageCredit", input.ImageCredit, required: false, MaxImageCredit, singleLine: true);
        Check(errors, "body", input.Body, required: true, MaxBody, singleLine: false);
        // Both end up in the mail's header or its hidden first line: one line, no control characters at all.
        Check(errors, "subject", input.Subject, required: false, MaxSubject, singleLine: true);
        Check(errors, "preheader", input.Preheader, required: false, MaxPreheader, singleLine: true);
        return errors.Count == 0;
    }

    private static void Check(Dictionary<string, string[]> errors, string field, string? value, bool required, int max, bool singleLine)
    {
        var label = Labels[field];
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) errors[field] = [$"{label} is required."];
            return;
        }
        if (value.Trim().Length > max) errors[field] = [$"{label} is longer than {max:N0} characters."];
        else if (singleLine && value.AsSpan().IndexOfAny('\r', '\n') >= 0) errors[field] = [$"{label} must be a single line."];
        else if (singleLine && value.Any(c => (char.IsControl(c) && c != '\t') || c is '\u2028' or '\u2029'))
            errors[field] = [$"{label} must not contain control characters."];
    }
}
