using Microsoft.AspNetCore.Http.HttpResults;

namespace NewsletterService.Dashboard;

/// <summary>Reads the result of an admin API handler that a page calls, so that pages and API share one implementation.</summary>
public static class ApiOutcome
{
    public static T? Value<T>(IResult result) where T : class => (result as IValueHttpResult)?.Value as T;

    /// <summary>The problem's message per field (<c>""</c> when it names none); empty when the call succeeded.</summary>
    public static IReadOnlyDictionary<string, string> Errors(IResult result) => result switch
    {
        ProblemHttpResult { ProblemDetails: HttpValidationProblemDetails v } => v.Errors.ToDictionary(e => e.Key, e => string.Join(" ", e.Value), StringComparer.OrdinalIgnoreCase),
        ProblemHttpResult p => new Dictionary<string, string> { [""] = p.ProblemDetails.Detail ?? p.ProblemDetails.Title ?? "The request failed." },
        _ => new Dictionary<string, string>(),
    };

    public static string? Error(IResult result) => Errors(result) is { Count: > 0 } errors ? string.Join(" ", errors.Values) : null;
}
