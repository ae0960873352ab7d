using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using NewsletterService.Delivery;

namespace NewsletterService.Dashboard;

/// <summary>Connects to each SMTP server the sender uses (<see cref="SmtpOptions.EffectiveServers"/>) as a send would.</summary>
public sealed class SmtpConnectionTest(IOptions<SmtpOptions> options, ILogger<SmtpConnectionTest> log)
{
    public async Task<Notice[]> RunAsync(CancellationToken ct) =>
        await Task.WhenAll(options.Value.EffectiveServers.Select(server => RunAsync(server, ct)));

    private async Task<Notice> RunAsync(SmtpServerOptions server, CancellationToken ct)
    {
        using var client = new SmtpClient { Timeout = (int)Math.Min(options.Value.Timeout.TotalMilliseconds, 15_000) };
        try
        {
            await client.ConnectAsync(server.Host, server.Port, server.MailKitSecurity(), ct);
            if (!string.IsNullOrEmpty(server.Username)) await client.AuthenticateAsync(server.Username, server.Password ?? "", ct);
            await client.NoOpAsync(ct);
            var tls = client.IsSecure ? "encrypted" : "not encrypted";
            var auth = client.IsAuthenticated ? $"logged in as {server.Username}" : "no login";
            await client.DisconnectAsync(true, ct);
            return new Notice(true, $"Connected to {server.Host}:{server.Port} ({tls}, {auth}). The server accepts mail.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning("SMTP connection test to {Host}:{Port} failed: {Error}", server.Host, server.Port, e.Message);
            var reason = SmtpFailure.TryClassify(e, out var failure) ? failure.Reason : $"{e.GetType().Name}: {e.Message}";
            return new Notice(false, $"Could not use {server.Host}:{server.Port}: {reason}");
        }
    }
}
