namespace NewsletterService.Infrastructure;

public enum RefusalKind { Invalid, NotFound, Conflict, Forbidden }

/// <summary>Why an operation changed nothing: input invalid per field, nothing by that name, or a conflict with what is stored.</summary>
public sealed record Refusal(RefusalKind Kind, string Detail, IDictionary<string, string[]>? Errors = null)
{
    public static Refusal Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });
    public static Refusal Invalid(IDictionary<string, string[]> errors) =>
        new(RefusalKind.Invalid, string.Join(" ", errors.SelectMany(e => e.Value)), errors);
    public static Refusal NotFound(string detail) => new(RefusalKind.NotFound, detail);
    public static Refusal Conflict(string detail) => new(RefusalKind.Conflict, detail);
    public static Refusal Forbidden(string detail) => new(RefusalKind.Forbidden, detail);

    /// <summary>A form's messages by field; <c>""</c> holds one that names no field.</summary>
    public IReadOnlyDictionary<string, string> ByField =>
        Errors?.ToDictionary(e => e.Key, e => string.Join(" ", e.Value)) ?? new Dictionary<string, string> { [""] = Detail };

    /// <summary>The API's answer: application/problem+json, 400 naming the fields, 403, 404 or 409.</summary>
    public IResult Problem() => Kind switch
    {
        RefusalKind.Invalid => Problems.Invalid(Errors!),
        RefusalKind.NotFound => Problems.NotFound(Detail),
        RefusalKind.Forbidden => Results.Problem(statusCode: 403, title: "Forbidden", detail: Detail),
        _ => Problems.Conflict(Detail),
    };
}

/// <summary>What an operation (shared by the API and the dashboard) gave back: its value, or why it refused.</summary>
public readonly record struct Outcome<T>(T? Value, Refusal? Refusal)
{
    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);

    public IResult Answer(Func<T, IResult> success) => Refusal?.Problem() ?? success(Value!);
}
