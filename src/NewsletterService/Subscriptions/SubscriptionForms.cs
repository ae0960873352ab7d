using NewsletterService.Infrastructure;

namespace NewsletterService.Subscriptions;

/// <summary>The fields of the subscribe form and the preference centre: labelled, grouped, with errors tied to their field.</summary>
public static class SubscriptionForms
{
    public static Html ErrorSummary(IReadOnlyDictionary<string, string[]> errors) => errors.Count == 0 ? Html.Empty : Html.Of(
        $"<div role=\"alert\" class=\"error\"><p>Please correct the following:</p><ul>{Html.Join(errors.SelectMany(e => e.Value).Select(m => Html.Of($"<li>{m}</li>")))}</ul></div>");

    public static Html Email(string? value, IReadOnlyDictionary<string, string[]> errors) => Html.Of(
        $"<label for=\"email\">Email address</label>{Error("email", errors)}<input type=\"email\" id=\"email\" name=\"email\" required maxlength=\"254\" autocomplete=\"email\" value=\"{value}\"{Described("email", errors)}>");

    public static Html Name(string? value, IReadOnlyDictionary<string, string[]> errors) => Html.Of(
        $"<label for=\"name\">Name (optional)</label>{Error("name", errors)}<input type=\"text\" id=\"name\" name=\"name\" maxlength=\"{SubscriberName.MaxLength}\" autocomplete=\"name\" value=\"{value}\"{Described("name", errors)}>");

    public static Html Lists(IEnumerable<MailingList> lists, IReadOnlyCollection<string> chosen, IReadOnlyDictionary<string, string[]> errors)
    {
        var boxes = lists.Select(l => Html.Of(
            $"<label><input type=\"checkbox\" name=\"lists\" value=\"{l.Slug}\"{(chosen.Contains(l.Slug) ? Checked : Html.Empty)}> {l.Name}</label>")).ToList();
        return boxes.Count == 0 ? Html.Empty : Html.Of($"<fieldset><legend>Topics</legend>{Error("lists", errors)}{Html.Join(boxes)}</fieldset>");
    }

    public static Html Cadence(Cadence chosen, IReadOnlyDictionary<string, string[]> errors)
    {
        (Cadence Value, string Label)[] options =
            [(Subscriptions.Cadence.Immediate, "Each article as it is published"), (Subscriptions.Cadence.Daily, "A daily digest"), (Subscriptions.Cadence.Weekly, "A weekly digest")];
        var radios = options.Select(o => Html.Of(
            $"<label><input type=\"radio\" name=\"cadence\" value=\"{o.Value.ToString().ToLowerInvariant()}\"{(o.Value == chosen ? Checked : Html.Empty)}> {o.Label}</label>"));
        return Html.Of($"<fieldset><legend>How often</legend>{Error("cadence", errors)}{Html.Join(radios)}</fieldset>");
    }

    private static readonly Html Checked = new(" checked");

    private static Html Error(string field, IReadOnlyDictionary<string, string[]> errors) =>
        errors.TryGetValue(field, out var messages) ? Html.Of($"<p id=\"{field}-error\" class=\"error\">{string.Join(" ", messages)}</p>") : Html.Empty;

    private static Html Described(string field, IReadOnlyDictionary<string, string[]> errors) =>
        errors.ContainsKey(field) ? Html.Of($" aria-invalid=\"true\" aria-describedby=\"{field}-error\"") : Html.Empty;
}
