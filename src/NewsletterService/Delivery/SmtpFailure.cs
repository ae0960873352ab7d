using System.Net.Sockets;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace NewsletterService.Delivery;

/// <summary>
/// What a failed send means for the delivery: <see cref="Permanent"/> (a 5xx reply: record it, never retry blindly) or
/// temporary (a 4xx reply, a dropped connection, a time-out: retry later with back-off). <see cref="ServerFault"/>:
/// the server, not this recipient or message, is the trouble (down, log-in refused, sender refused).
/// </summary>
public sealed record SmtpFailure(bool Permanent, bool RecipientRejected, bool ServerFault, string Reason)
{
    public static bool TryClassify(Exception e, out SmtpFailure failure)
    {
        failure = e switch
        {
            SmtpCommandException c => new SmtpFailure(
                Permanent: (int)c.StatusCode >= 500,
                RecipientRejected: (int)c.StatusCode >= 500 && c.ErrorCode == SmtpErrorCode.RecipientNotAccepted,
                ServerFault: c.ErrorCode is SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.UnexpectedStatusCode,
                Reason: $"{(int)c.StatusCode} {c.Message}".Trim()),
            AuthenticationException or SslHandshakeException or SmtpProtocolException or ServiceNotConnectedException
                or IOException or SocketException or TimeoutException =>
                    new SmtpFailure(false, false, true, $"{e.GetType().Name}: {e.Message}"),
            _ => null!,
        };
        return failure is not null;
    }

    /// <summary>The enhanced status code (<c>5.1.1</c>) a reason quotes, else its reply code (<c>550</c>).</summary>
    public static string? StatusOf(string? reason) =>
        reason is null ? null
        : Regex.Match(reason, @"\b[245]\.\d{1,3}\.\d{1,3}\b") is { Success: true } m ? m.Value
        : Regex.Match(reason, @"^\d{3}\b") is { Success: true } code ? code.Value : null;

    public string ShortReason => Reason.Length <= 1000 ? Reason : Reason[..1000];
}
