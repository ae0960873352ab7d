using System.ComponentModel.DataAnnotations;

namespace NewsletterService.DevInbox;

/// <summary>Section <c>DevInbox</c>: an SMTP server inside the service that keeps the mails it is sent, for a first run.</summary>
public sealed class DevInboxOptions
{
    public const string Section = "DevInbox";

    /// <summary>Unset: on in Development only. When on, all mail goes to the inbox instead of <c>Smtp:Host</c>.</summary>
    public bool? Enabled { get; set; }

    [Range(0, 65535)]
    public int Port { get; set; } = 2525;

    [Range(1, 100_000)]
    public int Capacity { get; set; } = 500;
}
