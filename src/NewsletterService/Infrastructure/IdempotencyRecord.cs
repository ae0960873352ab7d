namespace NewsletterService.Infrastructure;

/// <summary>
/// One idempotency key (table <c>IdempotencyKeys</c>): claimed by the first request that carried it, then holding that
/// request's answer, which later requests with the same key get instead of doing the work again. <see cref="Scope"/>
/// names the endpoint or form and the account; <see cref="StatusCode"/> is null while the first request is still at work.
/// </summary>
public sealed class IdempotencyRecord
{
    public required string Scope { get; set; }
    public required string Key { get; set; }

    /// <summary>SHA-256 (hex) of what was sent: the same key with other content is refused, not answered with another's result.</summary>
    public required string RequestHash { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public int? StatusCode { get; set; }
    public string? ContentType { get; set; }

    /// <summary>The <c>Location</c> of the first answer: where the created object is (API) or where the form led (dashboard).</summary>
    public string? Location { get; set; }

    /// <summary>The body of the first answer (API), or the notice the dashboard showed after it.</summary>
    public string? Body { get; set; }
}
