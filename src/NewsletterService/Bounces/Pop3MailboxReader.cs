using MailKit.Net.Pop3;
using MimeKit;

namespace NewsletterService.Bounces;

/// <summary>
/// A POP3 mailbox read with MailKit. A handled mail is marked deleted, which the server carries out when the session ends
/// with QUIT: a process that dies before that leaves every mail in place (and reads them again, counting nothing twice).
/// </summary>
public sealed class Pop3MailboxReader : IMailboxReader
{
    private readonly Pop3Client _client;

    private Pop3MailboxReader(Pop3Client client) => _client = client;

    public static async Task<Pop3MailboxReader> OpenAsync(MailboxSettings mailbox, CancellationToken ct)
    {
        var client = new Pop3Client();
        try
        {
            await MailboxReaders.LogInAsync(client, mailbox, ct);
            return new Pop3MailboxReader(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(Enumerable.Range(0, _client.Count).Select(i => i.ToString()).ToList());

    public Task<MimeMessage> ReadAsync(string id, CancellationToken ct) => _client.GetMessageAsync(int.Parse(id), ct);

    public Task FinishAsync(string id, bool handled, CancellationToken ct) =>
        handled ? _client.DeleteMessageAsync(int.Parse(id), ct) : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync(quit: true); // QUIT: the server deletes the marked mails now
        }
        finally
        {
            _client.Dispose();
        }
    }
}
