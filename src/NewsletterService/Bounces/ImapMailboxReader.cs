using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace NewsletterService.Bounces;

/// <summary>
/// An IMAP folder read with MailKit; finished mails move to the top-level folders <c>Processed</c> and <c>Unprocessed</c>.
/// </summary>
public sealed class ImapMailboxReader : IMailboxReader
{
    public const string ProcessedFolder = "Processed", UnprocessedFolder = "Unprocessed";

    private readonly ImapClient _client;
    private readonly IMailFolder _folder;
    private readonly Dictionary<string, IMailFolder> _targets = [];

    private ImapMailboxReader(ImapClient client, IMailFolder folder) => (_client, _folder) = (client, folder);

    public static async Task<ImapMailboxReader> OpenAsync(MailboxSettings mailbox, CancellationToken ct)
    {
        var client = new ImapClient();
        try
        {
            await MailboxReaders.LogInAsync(client, mailbox, ct);
            var folder = await client.GetFolderAsync(mailbox.Folder, ct);
            await folder.OpenAsync(FolderAccess.ReadWrite, ct);
            return new ImapMailboxReader(client, folder);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct) =>
        (await _folder.SearchAsync(SearchQuery.All, ct)).Select(uid => uid.ToString()).ToList();

    public Task<MimeMessage> ReadAsync(string id, CancellationToken ct) => _folder.GetMessageAsync(UniqueId.Parse(id), ct);

    public async Task FinishAsync(string id, bool handled, CancellationToken ct) =>
        await _folder.MoveToAsync(UniqueId.Parse(id), await TargetAsync(handled ? ProcessedFolder : UnprocessedFolder, ct), ct);

    private async Task<IMailFolder> TargetAsync(string name, CancellationToken ct)
    {
        if (_targets.TryGetValue(name, out var known)) return known;
        var root = _client.GetFolder(_client.PersonalNamespaces[0]);
        IMailFolder? target;
        try { target = await root.GetSubfolderAsync(name, ct); }
        catch (FolderNotFoundException) { target = await root.CreateAsync(name, isMessageFolder: true, ct); }
        return _targets[name] = target ?? throw new InvalidOperationException($"The IMAP server did not create the folder {name}.");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync(quit: true);
        }
        finally
        {
            _client.Dispose();
        }
    }
}
