namespace NewsletterService.Infrastructure;

/// <summary>RFC 9457 problem responses (application/problem+json) with the offending field named.</summary>
public static class Problems
{
    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message);

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, detail: string.Join(" ", errors.SelectMany(e => e.Value)));

    public static IResult NotFound(string message) => Results.Problem(statusCode: 404, detail: message);

    public static IResult Conflict(string message) => Results.Problem(statusCode: 409, detail: message);
}
