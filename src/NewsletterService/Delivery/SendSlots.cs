using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace NewsletterService.Delivery;

/// <summary>
/// How many messages a process may have accepted by SMTP servers but not yet committed to the ledger: as many as it has
/// SMTP connections, over all its batches together. A kill can only duplicate messages the server accepted before their
/// row was committed, so this keeps duplicates after a crash to at most one per connection, however many batches run.
/// <para>
/// A slot is taken for one message and handed back as soon as the server has answered, with that message's commit. The
/// slot's next message may then go out while the commit runs, but not end: it waits for the commit before its final dot
/// (<see cref="EncodedBody.TryHoldEnd"/>), the point where a server accepts it. So a ledger commit costs a connection
/// nothing unless it takes longer than the next message's envelope and body.
/// </para>
/// </summary>
public sealed class SendSlots
{
    /// <summary>Each free slot, as the commit its last accepted message is waiting for.</summary>
    private readonly Channel<Task> _free = Channel.CreateUnbounded<Task>();

    public SendSlots(IOptions<SmtpOptions> options)
    {
        for (var i = 0; i < options.Value.TotalConnections; i++) _free.Writer.TryWrite(Task.CompletedTask);
    }

    /// <summary>Takes a slot; returns the commit of its previous message, which the new one must not end before.</summary>
    public ValueTask<Task> TakeAsync(CancellationToken ct) => _free.Reader.ReadAsync(ct);

    /// <summary>Hands a slot back with the commit of the message sent in it (or the previous one, when none was sent).</summary>
    public void Return(Task committed) => _free.Writer.TryWrite(committed);
}
