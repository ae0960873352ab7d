using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>
/// A throw-away Dovecot (IMAP and POP3 on loopback ports) with its own configuration, passwd-file and Maildir in a temporary
/// folder, run in the foreground as a child of the test and stopped with it; nothing of the system's configuration is used.
/// One user, <see cref="User"/>, whose mail is <see cref="MailFolder"/> (a Maildir other programs may deliver into).
/// </summary>
public sealed class Dovecot : IAsyncDisposable
{
    public const string Install = "sudo apt-get install dovecot-imapd dovecot-pop3d";
    public const string User = "bounces";
    public const string Password = "mailbox-secret-1234";

    private readonly Process _process;
    private readonly string _folder;

    public int ImapPort { get; }
    public int Pop3Port { get; }

    /// <summary>The user's Maildir (<c>cur</c>, <c>new</c>, <c>tmp</c>).</summary>
    public string MailFolder => Path.Combine(_folder, "mail", User);

    /// <summary>Unix uid and gid that own the mail: the current user's, or nobody's when the tests run as root.</summary>
    public static (int Uid, int Gid) MailOwner => Environment.UserName == "root" ? (65534, 65534) : (Id("-u"), Id("-g"));

    private Dovecot(Process process, string folder, int imap, int pop3) =>
        (_process, _folder, ImapPort, Pop3Port) = (process, folder, imap, pop3);

    public static async Task<Dovecot> StartAsync()
    {
        var dovecot = Requires.Program("dovecot", Install);
        var folder = Path.Combine(Path.GetTempPath(), "newsletter-dovecot", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "run"));
        // The mail processes run as MailOwner, which must be able to create the user's Maildir here.
        var mail = Directory.CreateDirectory(Path.Combine(folder, "mail"));
        if (!OperatingSystem.IsWindows()) mail.UnixFileMode = (UnixFileMode)0b111_111_111;
        await File.WriteAllTextAsync(Path.Combine(folder, "passwd"), $"{User}:{{PLAIN}}{Password}\n");
        var (imap, pop3) = (SmtpCapture.FreePort(), SmtpCapture.FreePort());
        var config = Path.Combine(folder, "dovecot.conf");
        await File.WriteAllTextAsync(config, Config(folder, imap, pop3));
        var process = Process.Start(new ProcessStartInfo(dovecot, ["-F", "-c", config])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var server = new Dovecot(process, folder, imap, pop3);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await ListensAsync(imap) || !await ListensAsync(pop3))
        {
            if (process.HasExited || DateTime.UtcNow > until)
            {
                var logFile = Path.Combine(folder, "dovecot.log");
                var log = File.Exists(logFile) ? await File.ReadAllTextAsync(logFile) : "";
                await server.DisposeAsync();
                throw new InvalidOperationException($"Dovecot did not start: {await process.StandardError.ReadToEndAsync()} {log}");
            }
            await Task.Delay(50);
        }
        return server;
    }

    /// <summary>The mailbox's settings for the service (<c>Mailboxes:&lt;name&gt;:...</c>).</summary>
    public Dictionary<string, string?> Settings(string name, string protocol = "Imap") => new()
    {
        [$"Mailboxes:{name}:Host"] = "127.0.0.1",
        [$"Mailboxes:{name}:Port"] = (protocol == "Pop3" ? Pop3Port : ImapPort).ToString(),
        [$"Mailboxes:{name}:Protocol"] = protocol,
        [$"Mailboxes:{name}:SecureSocket"] = "None",
        [$"Mailboxes:{name}:Username"] = User,
        [$"Mailboxes:{name}:Password"] = Password,
    };

    /// <summary>Puts a mail into the inbox (IMAP APPEND), as a delivery would.</summary>
    public async Task DeliverAsync(MimeMessage message)
    {
        using var client = await ConnectAsync();
        await client.Inbox.AppendAsync(message);
        await client.DisconnectAsync(true);
    }

    /// <summary>How many mails each folder holds (a folder that does not exist holds none).</summary>
    public async Task<int> CountAsync(string folder)
    {
        using var client = await ConnectAsync();
        try
        {
            var mailbox = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
            await mailbox.OpenAsync(FolderAccess.ReadOnly);
            return mailbox.Count;
        }
        catch (FolderNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>What Dovecot logged so far (logins, each session's end with what it deleted).</summary>
    public string Log => File.Exists(Path.Combine(_folder, "dovecot.log")) ? File.ReadAllText(Path.Combine(_folder, "dovecot.log")) : "";

    /// <summary>The subjects of the mails in a folder, oldest first.</summary>
    public async Task<List<string>> SubjectsAsync(string folder)
    {
        using var client = await ConnectAsync();
        var mailbox = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
        await mailbox.OpenAsync(FolderAccess.ReadOnly);
        if (mailbox.Count == 0) return [];
        var summaries = await mailbox.FetchAsync(0, -1, MessageSummaryItems.Envelope);
        return summaries.OrderBy(s => s.Index).Select(s => s.Envelope?.Subject ?? "").ToList();
    }

    private async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(User, Password);
        return client;
    }

    private static string Config(string folder, int imap, int pop3)
    {
        var (uid, gid) = MailOwner;
        var service = Environment.UserName == "root" ? ("nobody", "nogroup") : (Environment.UserName, Group());
        return $$"""
            base_dir = {{folder}}/run
            state_dir = {{folder}}/run
            log_path = {{folder}}/dovecot.log
            protocols = imap pop3
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            default_login_user = {{service.Item1}}
            default_internal_user = {{service.Item1}}
            default_internal_group = {{service.Item2}}
            first_valid_uid = {{uid}}
            mail_location = maildir:{{folder}}/mail/%u
            namespace inbox {
              inbox = yes
              separator = /
            }
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{folder}}/passwd
            }
            userdb {
              driver = static
              args = uid={{uid}} gid={{gid}} home={{folder}}/mail/%u
            }
            service imap-login {
              chroot =
              inet_listener imap {
                address = 127.0.0.1
                port = {{imap}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            service pop3-login {
              chroot =
              inet_listener pop3 {
                address = 127.0.0.1
                port = {{pop3}}
              }
              inet_listener pop3s {
                port = 0
              }
            }
            """;
    }

    /// <summary>Whether something accepts TCP connections on the loopback port.</summary>
    public static async Task<bool> ListensAsync(int port)
    {
        try
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Id(string flag) => int.Parse(Run("id", flag));

    private static string Group() => Run("id", "-gn");

    private static string Run(string program, string argument)
    {
        using var process = Process.Start(new ProcessStartInfo(program, [argument]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
