namespace NewsletterService.Delivery;

/// <summary>A sending limit: <see cref="WaitAsync"/> returns once one more message may go out.</summary>
public interface ISendThrottle
{
    /// <summary>Waits for one permit; <paramref name="ct"/> ends the wait at once (OperationCanceledException).</summary>
    ValueTask WaitAsync(CancellationToken ct);
}
