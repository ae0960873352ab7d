using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;

namespace NewsletterService.Subscriptions;

/// <summary>A request to subscribe, from the JSON API or the form; the preference centre uses it without the address.</summary>
public sealed class SubscribeRequest
{
    public string? Email { get; set; }
    public string? Name { get; set; }
    public string[]? Lists { get; set; }
    public string? Cadence { get; set; }
}

/// <summary>
/// Double opt-in. Whatever the address's state, the caller learns nothing but "accepted": a new, pending, unsubscribed
/// or bounced address becomes pending with the given choices and is sent a confirmation mail (at most one per
/// <see cref="SubscriptionOptions.ConfirmationInterval"/>); a confirmed subscriber is left exactly as they are.
/// </summary>
public sealed class Subscribe(
    NewsletterDb db, IBackgroundJobClient jobs, TimeProvider time, IOptions<SubscriptionOptions> options, ILogger<Subscribe> log)
{
    /// <summary>The errors by field, or none when the request was accepted.</summary>
    public async Task<Dictionary<string, string[]>> RequestAsync(SubscribeRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!EmailAddress.TryParse(request.Email, out var address, out var error)) errors["email"] = [error];
        var choices = await SubscriptionChoices.ReadAsync(db, request, errors, ct);
        if (errors.Count > 0) return errors;

        var subscriber = await db.Subscribers.Include(s => s.Memberships).FirstOrDefaultAsync(s => s.EmailKey == address.Key, ct);
        var isNew = subscriber is null;
        subscriber ??= db.Subscribers.Add(
            new Subscriber { Email = address.Display, EmailKey = address.Key, CreatedAt = time.GetUtcNow().UtcDateTime }).Entity;
        if (!SubscriberTransitions.Subscribe(subscriber)) return errors;
        subscriber.Email = address.Display;
        subscriber.Apply(choices);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (isNew)
        {
            return errors; // the same address arrived twice at once: the other request does the work
        }
        await RequestConfirmationAsync(subscriber.Id, ct);
        return errors;
    }

    /// <summary>Enqueues the confirmation mail unless one was asked for within the interval (checked and set in one UPDATE).</summary>
    private async Task RequestConfirmationAsync(long subscriberId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var quietUntil = now - options.Value.ConfirmationInterval;
        var due = await db.Subscribers
            .Where(s => s.Id == subscriberId && s.Status == SubscriberStatus.Pending &&
                (s.ConfirmationRequestedAt == null || s.ConfirmationRequestedAt <= quietUntil))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ConfirmationRequestedAt, now), ct);
        if (due == 0)
        {
            log.LogInformation("Subscriber {SubscriberId} asked again within the confirmation interval; no new mail", subscriberId);
            return;
        }
        jobs.Enqueue<ConfirmationMailJob>(j => j.SendAsync(subscriberId, CancellationToken.None));
    }
}
