using Microsoft.Extensions.Options;

namespace NewsletterService.Delivery;

/// <summary>
/// How many messages a process may have between "sending started" and "outcome committed to the ledger": as many as
/// it has SMTP connections, over all its batches together. A kill can only duplicate messages the server accepted
/// before their row was committed, so this keeps duplicates after a crash to at most one per connection, however
/// many batches run at once.
/// </summary>
public sealed class SendSlots(IOptions<SmtpOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.TotalConnections);

    public Task WaitAsync(CancellationToken ct) => _slots.WaitAsync(ct);

    public void Release() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
