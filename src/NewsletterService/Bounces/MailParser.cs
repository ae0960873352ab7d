using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace NewsletterService.Bounces;

/// <summary>
/// Reads what a mail from the bounce or unsubscribe mailbox is, without touching anything: a delivery status notification
/// (RFC 3464), a feedback report (ARF, RFC 5965), a bounce in prose that quotes our VERP address, an auto-reply or challenge,
/// or a reader's mailed unsubscribe. Pure: the processor decides what it changes.
/// </summary>
public static partial class MailParser
{
    /// <summary>Headers in which the receiving server names the address a mail was delivered to (our VERP address).</summary>
    private static readonly string[] EnvelopeHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To"];

    public static MailOutcome Parse(MimeMessage message, string? bounceDomain)
    {
        var verp = Verp(bounceDomain);
        if (Find<MultipartReport>(message.Body) is { } report)
        {
            if (report.OfType<MessageDeliveryStatus>().FirstOrDefault() is { } dsn) return DeliveryStatus(message, dsn, verp);
            if (report.OfType<MessageFeedbackReport>().FirstOrDefault() is { } arf) return Complaint(message, arf, verp);
        }
        if (LooksLikeBounce(message)) return ProseBounce(message, verp);
        if (IsAutomatic(message)) return MailOutcome.Ignored;
        return Unsubscribe(message);
    }

    private static MailOutcome DeliveryStatus(MimeMessage message, MessageDeliveryStatus dsn, Regex? verp)
    {
        var recipients = dsn.StatusGroups.Skip(1).ToList(); // the first group is about the message, the others each about a recipient
        var group = recipients.FirstOrDefault(g => Is(g["Action"], "failed")) ?? recipients.FirstOrDefault(g => Is(g["Action"], "delayed"));
        if (group is null) return MailOutcome.Ignored; // delivered, relayed, expanded: nothing went wrong
        var status = group["Status"]?.Trim();
        var soft = status?.StartsWith('4') ?? Is(group["Action"], "delayed");
        return WithVerp(new MailOutcome(soft ? MailKind.SoftBounce : MailKind.HardBounce)
        {
            Recipient = Address(group["Final-Recipient"]) ?? Address(group["Original-Recipient"]),
            OriginalRecipient = Address(group["Original-Recipient"]),
            OriginalMessageId = Original(message)?.MessageId,
            Status = status,
            Diagnostic = Cut(Address(group["Diagnostic-Code"]) ?? group["Diagnostic-Code"]),
        }, message, verp);
    }

    private static MailOutcome Complaint(MimeMessage message, MessageFeedbackReport arf, Regex? verp)
    {
        var fields = arf.Fields;
        var original = Original(message);
        var outcome = new MailOutcome(MailKind.Complaint)
        {
            Recipient = Address(fields["Original-Rcpt-To"]) ?? original?.To.Mailboxes.FirstOrDefault()?.Address,
            OriginalMessageId = original?.MessageId,
            Diagnostic = Cut($"{fields["Feedback-Type"]?.Trim()} report from {fields["User-Agent"]?.Trim() ?? "a mailbox provider"}"),
        };
        if (verp?.Match(fields["Original-Mail-From"] ?? "") is { Success: true } match) return Named(outcome, match);
        return WithVerp(outcome, message, verp);
    }

    /// <summary>No report part, only words (and, usually, the original's headers): matched by our VERP address or not at all.</summary>
    private static MailOutcome ProseBounce(MimeMessage message, Regex? verp)
    {
        var text = AllText(message);
        var match = verp?.Match(EnvelopeText(message)) is { Success: true } named ? named : verp?.Match(text);
        if (match is not { Success: true }) return MailOutcome.Unmatched;
        var status = EnhancedStatus().Match(text);
        var soft = status.Success ? status.Value.StartsWith('4') : Delayed().IsMatch(message.Subject ?? "");
        var line = status.Success ? text[..status.Index].LastIndexOf('\n') + 1 : -1;
        return Named(new MailOutcome(soft ? MailKind.SoftBounce : MailKind.HardBounce)
        {
            Status = status.Success ? status.Value : null,
            Diagnostic = line >= 0 ? Cut(text[line..].Split('\n')[0].Trim()) : Cut(message.Subject),
        }, match);
    }

    private static MailOutcome Unsubscribe(MimeMessage message)
    {
        var tokens = TokenCandidate().Matches(message.Subject ?? "").Select(m => m.Value).ToList();
        if (message.InReplyTo is null && message.TextBody is { } body) // a reply quoting a newsletter is not a request
            tokens.AddRange(TokenCandidate().Matches(body.Length > 4000 ? body[..4000] : body).Select(m => m.Value));
        return tokens.Count == 0 ? MailOutcome.Unmatched : new MailOutcome(MailKind.Unsubscribe) { Tokens = tokens.Distinct().ToList() };
    }

    /// <summary>Out-of-office and other automatic answers (RFC 3834 and what common clients send instead), and challenges.</summary>
    private static bool IsAutomatic(MimeMessage message)
    {
        var headers = message.Headers;
        return headers["Auto-Submitted"] is { } auto && !Is(auto, "no")
            || headers.Contains("X-Autoreply") || headers.Contains("X-Autorespond") || headers.Contains("X-Autoresponder")
            || Is(headers["Precedence"], "auto_reply") || Is(headers["X-Precedence"], "auto_reply")
            || AutomaticSubject().IsMatch(message.Subject ?? "");
    }

    private static bool LooksLikeBounce(MimeMessage message) =>
        message.From.Mailboxes.Any(m => DaemonSender().IsMatch(m.LocalPart) || DaemonSender().IsMatch(m.Name ?? ""))
        || BounceSubject().IsMatch(message.Subject ?? "");

    private static MailOutcome WithVerp(MailOutcome outcome, MimeMessage message, Regex? verp) =>
        verp?.Match(EnvelopeText(message)) is { Success: true } match ? Named(outcome, match)
        : verp?.Match(AllText(message)) is { Success: true } quoted ? Named(outcome, quoted)
        : outcome;

    private static MailOutcome Named(MailOutcome outcome, Match verp) => outcome with
    {
        CampaignId = long.Parse(verp.Groups[1].Value),
        DeliveryId = long.Parse(verp.Groups[2].Value),
    };

    private static Regex? Verp(string? domain) => domain is { Length: > 0 }
        ? new Regex(@"bounces\+c(\d{1,18})-d(\d{1,18})@" + Regex.Escape(domain) + @"\b",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)
        : null;

    private static string EnvelopeText(MimeMessage message) =>
        string.Join('\n', EnvelopeHeaders.SelectMany(h => message.Headers.Where(x => x.Field.Equals(h, StringComparison.OrdinalIgnoreCase)))
            .Select(h => h.Value));

    /// <summary>Every header and decoded text of the mail, attached messages and report parts included.</summary>
    private static string AllText(MimeMessage message)
    {
        var text = new StringBuilder(string.Join("\n", message.Headers));
        Append(message.Body, text);
        return text.ToString();
    }

    private static void Append(MimeEntity? entity, StringBuilder text)
    {
        switch (entity)
        {
            case Multipart multipart:
                foreach (var child in multipart) Append(child, text);
                break;
            case MessagePart { Message: { } attached }:
                text.Append('\n').Append(string.Join("\n", attached.Headers));
                Append(attached.Body, text);
                break;
            case TextPart part:
                text.Append('\n').Append(part.Text);
                break;
            case MimePart { Content: { } content } part when part.ContentType.MediaType is "message" or "text":
                using (var reader = new StreamReader(content.Open(), Encoding.UTF8)) text.Append('\n').Append(reader.ReadToEnd());
                break;
        }
    }

    /// <summary>The returned original: a <c>message/rfc822</c> part, or its headers only (<c>text/rfc822-headers</c>).</summary>
    private static MimeMessage? Original(MimeMessage report) =>
        Find<MessagePart>(report.Body)?.Message ?? Find<TextRfc822Headers>(report.Body)?.Message;

    private static T? Find<T>(MimeEntity? entity) where T : MimeEntity => entity switch
    {
        T found => found,
        Multipart multipart => multipart.Select(Find<T>).FirstOrDefault(f => f is not null),
        _ => null,
    };

    /// <summary><c>rfc822; reader@example.com</c> → <c>reader@example.com</c>; <c>smtp; 550 ...</c> → <c>550 ...</c>.</summary>
    private static string? Address(string? typed) =>
        typed is null ? null : typed[(typed.IndexOf(';') + 1)..].Trim().Trim('<', '>') is { Length: > 0 } value ? value : null;

    private static bool Is(string? value, string expected) => string.Equals(value?.Trim(), expected, StringComparison.OrdinalIgnoreCase);

    private static string? Cut(string? text) =>
        text is null ? null : Regex.Replace(text, @"\s+", " ").Trim() is var one && one.Length > 1000 ? one[..1000] : one;

    [GeneratedRegex(@"\b[45]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex EnhancedStatus();

    [GeneratedRegex(@"delay|still (being )?retried|will (be )?retr|could not send message for past", RegexOptions.IgnoreCase)]
    private static partial Regex Delayed();

    [GeneratedRegex(@"^(mailer-daemon|postmaster|mail delivery (subsystem|system)|mail ?delivery)$", RegexOptions.IgnoreCase)]
    private static partial Regex DaemonSender();

    [GeneratedRegex(@"undeliver|returned mail|delivery (status notification|failure|has failed|failed)|mail delivery failed|" +
        @"failure notice|could not be delivered|non-?delivery|delayed mail|delivery delayed", RegexOptions.IgnoreCase)]
    private static partial Regex BounceSubject();

    [GeneratedRegex(@"^\s*(auto(matic)?[ -]?(reply|response|antwort)|auto:|out of (the )?office|abwesen|absence|vacation|" +
        @"on leave|away from|(please )?(confirm|verify) (your )?(e-?mail|message|sender)|challenge)", RegexOptions.IgnoreCase)]
    private static partial Regex AutomaticSubject();

    /// <summary>A signed link token's shape (base64url, 40 to 64 characters); the token's signature decides.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{40,64}(?![A-Za-z0-9_-])")]
    private static partial Regex TokenCandidate();
}
