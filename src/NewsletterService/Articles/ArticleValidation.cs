namespace NewsletterService.Articles;

public static class ArticleValidation
{
    public static bool TryValidate(ArticleStore.Input? input, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (input is null)
        {
            errors["body"] = ["Send the article as JSON: { \"title\", \"body\", \"byline\", \"imageCredit\", \"publishedAt\" }."];
            return false;
        }
        Check(errors, "title", input.Title, required: true, max: 300, singleLine: true);
        Check(errors, "byline", input.Byline, required: false, max: 200, singleLine: true);
        Check(errors, "imageCredit", input.ImageCredit, required: false, max: 200, singleLine: true);
        Check(errors, "body", input.Body, required: true, max: 200_000, singleLine: false);
        return errors.Count == 0;
    }

    private static void Check(Dictionary<string, string[]> errors, string field, string? value, bool required, int max, bool singleLine)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) errors[field] = [$"{field} is required."];
            return;
        }
        if (value.Trim().Length > max) errors[field] = [$"{field} is longer than {max} characters."];
        else if (singleLine && value.AsSpan().IndexOfAny('\r', '\n') >= 0) errors[field] = [$"{field} must be a single line."];
    }
}
