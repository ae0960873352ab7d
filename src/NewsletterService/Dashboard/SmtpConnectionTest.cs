using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using NewsletterService.Delivery;

namespace NewsletterService.Dashboard;

/// <summary>Connects to the configured SMTP server as a send would (TLS, login), and reports what the server said.</summary>
public sealed class SmtpConnectionTest(IOptions<SmtpOptions> options, ILogger<SmtpConnectionTest> log)
{
    public async Task<Notice> RunAsync(CancellationToken ct)
    {
        var smtp = options.Value;
        using var client = new SmtpClient { Timeout = (int)Math.Min(smtp.Timeout.TotalMilliseconds, 15_000) };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, Enum.Parse<SecureSocketOptions>(smtp.SecureSocket.ToString()), ct);
            if (!string.IsNullOrEmpty(smtp.Username)) await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
            await client.NoOpAsync(ct);
            var tls = client.IsSecure ? "encrypted" : "not encrypted";
            var auth = client.IsAuthenticated ? $"logged in as {smtp.Username}" : "no login";
            await client.DisconnectAsync(true, ct);
            return new Notice(true, $"Connected to {smtp.Host}:{smtp.Port} ({tls}, {auth}). The server accepts mail.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning("SMTP connection test to {Host}:{Port} failed: {Error}", smtp.Host, smtp.Port, e.Message);
            var reason = SmtpFailure.TryClassify(e, out var failure) ? failure.Reason : $"{e.GetType().Name}: {e.Message}";
            return new Notice(false, $"Could not use {smtp.Host}:{smtp.Port}: {reason}");
        }
    }
}
