using System.Diagnostics;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>
/// A throw-away Postfix (<c>postfix -c</c>) with its own main.cf, master.cf, queue and data folders in a temporary folder,
/// listening for SMTP on a loopback port and running no chroot: it relays the readers' mail (<see cref="ReadersDomain"/>) to
/// <see cref="ReadersServer"/>, a capture on loopback playing their mail server, and delivers mail for the bounce domain into
/// the Dovecot user's Maildir (virtual delivery, <c>recipient_delimiter = +</c>, so every VERP address reaches it). A deferred
/// mail is retried every second or two, and its sender warned once (a "Delayed Mail" report) after a second. Postfix's
/// master runs as root and its daemons as the <c>postfix</c> user the package creates: the tests need root (CI runs as root).
/// </summary>
public sealed class Postfix : IAsyncDisposable
{
    public const string Install = "sudo apt-get install postfix (choose \"No configuration\": the tests start their own)";
    public const string ReadersDomain = "example.test";

    private readonly string _folder;

    public int Port { get; }
    public SmtpCapture ReadersServer { get; }

    private string Config => Path.Combine(_folder, "config");

    /// <summary>Postfix's own log (<c>maillog_file</c>): each mail's queue id, relay, status and the bounces it sent.</summary>
    public string Log => File.Exists(Path.Combine(_folder, "postfix.log")) ? File.ReadAllText(Path.Combine(_folder, "postfix.log")) : "";

    private Postfix(string folder, int port, SmtpCapture readers) => (_folder, Port, ReadersServer) = (folder, port, readers);

    /// <param name="readersServer">The readers' server's answer to each RCPT TO (null: accepted).</param>
    public static async Task<Postfix> StartAsync(Dovecot mailbox, string bounceDomain,
        Func<string, SmtpServer.Protocol.SmtpResponse?>? readersServer = null)
    {
        var postfix = Requires.Program("postfix", Install);
        Requires.That(Environment.UserName == "root", "the Postfix tests start Postfix's master, which runs as root: run them as root");
        var folder = Path.Combine(Path.GetTempPath(), "newsletter-postfix", Guid.NewGuid().ToString("N"));
        foreach (var sub in new[] { "config", "queue", "data" }) Directory.CreateDirectory(Path.Combine(folder, sub));
        await RunAsync("chown", "postfix", Path.Combine(folder, "data")); // Postfix's own state (master.lock) belongs to mail_owner
        var readers = await SmtpCapture.StartAsync();
        readers.OnRecipient = readersServer;
        var server = new Postfix(folder, SmtpCapture.FreePort(), readers);
        try
        {
            await server.ConfigureAsync(mailbox, bounceDomain);
            await RunAsync(postfix, "-c", server.Config, "start");
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!await Dovecot.ListensAsync(server.Port))
            {
                if (DateTime.UtcNow > until) throw new InvalidOperationException($"Postfix did not listen: {server.Log}");
                await Task.Delay(50);
            }
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task ConfigureAsync(Dovecot mailbox, string bounceDomain)
    {
        var (uid, gid) = Dovecot.MailOwner;
        var maildir = Path.GetDirectoryName(mailbox.MailFolder)!;
        await File.WriteAllTextAsync(Path.Combine(Config, "transport"), $"{ReadersDomain} smtp:[127.0.0.1]:{ReadersServer.Port}\n");
        await File.WriteAllTextAsync(Path.Combine(Config, "vmailbox"), $"{Dovecot.User}@{bounceDomain} {Dovecot.User}/\n");
        await File.WriteAllTextAsync(Path.Combine(Config, "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {_folder}/queue
            data_directory = {_folder}/data
            mail_owner = postfix
            maillog_file = {_folder}/postfix.log
            maillog_file_prefixes = {_folder}
            myhostname = mx.postfix-test.example
            mydestination =
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
            smtp_dns_support_level = disabled
            transport_maps = texthash:{Config}/transport
            virtual_mailbox_domains = {bounceDomain}
            virtual_mailbox_base = {maildir}
            virtual_mailbox_maps = texthash:{Config}/vmailbox
            virtual_uid_maps = static:{uid}
            virtual_gid_maps = static:{gid}
            recipient_delimiter = +
            queue_run_delay = 1s
            minimal_backoff_time = 1s
            maximal_backoff_time = 2s
            delay_warning_time = 1s
            alias_maps =
            alias_database =
            biff = no

            """);
        // Only the services this instance uses, none chrooted (the chroot would need a copy of the system's files).
        await File.WriteAllTextAsync(Path.Combine(Config, "master.cf"), $"""
            127.0.0.1:{Port} inet n - n - - smtpd
            pickup unix n - n 60 1 pickup
            cleanup unix n - n - 0 cleanup
            qmgr unix n - n 300 1 qmgr
            rewrite unix - - n - - trivial-rewrite
            bounce unix - - n - 0 bounce
            defer unix - - n - 0 bounce
            trace unix - - n - 0 bounce
            verify unix - - n - 1 verify
            flush unix n - n 1000? 0 flush
            proxymap unix - - n - - proxymap
            smtp unix - - n - - smtp
            showq unix n - n - - showq
            error unix - - n - - error
            retry unix - - n - - error
            discard unix - - n - - discard
            virtual unix - n n - - virtual
            anvil unix - - n - 1 anvil
            scache unix - - n - 1 scache
            postlog unix-dgram n - n - 1 postlogd

            """);
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {await output} {error}");
    }

    /// <summary>
    /// Stops the instance (<c>postfix stop</c> returns once the master is gone, killing it after five seconds), then removes
    /// every file of it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try { await RunAsync("postfix", "-c", Config, "stop"); } catch (InvalidOperationException) { } // not running
        await ReadersServer.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
