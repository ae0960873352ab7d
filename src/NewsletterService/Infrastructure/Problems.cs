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

/// <summary>Pages of the API's lists: page from 1, 1-500 items; a page past the end is empty, however large its number.</summary>
public static class Paging
{
    public static (int Page, int PageSize) Clamp(int page, int pageSize) => (Math.Max(1, page), Math.Clamp(pageSize, 1, 500));

    /// <summary>The rows before <paramref name="page"/>, counted in 64 bits so that no page number overflows.</summary>
    public static int Skip(int page, int pageSize) => (int)Math.Min(int.MaxValue, (page - 1L) * pageSize);
}
